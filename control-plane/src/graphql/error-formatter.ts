import { FlowForgeError, serializeError } from '@flowforge/connectors-sdk';
import { GraphQLError } from 'graphql';
import mercurius, { type MercuriusContext } from 'mercurius';
import { databaseUnavailable, isDatabaseUnreachable } from '../database.ts';

type Execution = Parameters<typeof mercurius.defaultErrorFormatter>[0];

/**
 * Gives every GraphQL error `extensions.code` (an FF_* code) plus `issues`, `hint`, `path` when
 * there are any. Errors that are not FlowForgeErrors are our bugs: logged with their stack, shown
 * as FF_INTERNAL without internals.
 */
export function errorFormatter(execution: Execution, context: MercuriusContext) {
  const log = context.reply?.log ?? context.app.log;
  const errors = (execution.errors ?? []).flatMap((error) => {
    // Mercurius wraps query validation errors in one error with an `errors` array.
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner) ? inner.map((e: Error) => badInput(e)) : [withCode(error, log)];
  });
  return mercurius.defaultErrorFormatter({ ...execution, errors } as Execution, context);
}

function withCode(error: GraphQLError | FlowForgeError, log: MercuriusContext['app']['log']): GraphQLError {
  // A FlowForgeError has an array `path` (into the input), so graphql-js takes it for an
  // already-located GraphQLError and passes it through unwrapped.
  const original: Error | undefined = error instanceof FlowForgeError ? error : error.originalError;
  let extensions: Record<string, unknown>;
  let message = error.message;
  if (original instanceof FlowForgeError) {
    const { code, hint, issues, path, retryable } = serializeError(original);
    extensions = {
      code,
      retryable,
      ...(hint ? { hint } : {}),
      ...(issues ? { issues } : {}),
      ...(path ? { path } : {}),
    };
  } else if (isDatabaseUnreachable(original)) {
    const { code, hint, retryable } = serializeError(databaseUnavailable(original));
    extensions = { code, retryable, ...(hint ? { hint } : {}) };
    message = databaseUnavailable(original).message;
  } else if (!original || original instanceof GraphQLError) {
    // No original error: the query itself is wrong (syntax, unknown field, bad variable).
    extensions = { code: 'FF_BAD_INPUT', ...(error as GraphQLError).extensions };
  } else {
    log.error({ err: original }, 'unexpected error in a GraphQL resolver');
    extensions = { code: 'FF_INTERNAL', hint: 'this is a FlowForge bug: the control plane log has the details' };
    message = 'internal error';
  }
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    originalError: original,
    extensions,
  });
}

function badInput(error: Error): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(error.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    extensions: {
      code: 'FF_BAD_INPUT',
      hint: 'the GraphQL request does not fit the schema (see GET /graphql?query=...)',
    },
  });
}
