import { FlowForgeError, type JsonShapeProblem, serializeError } from '@flowforge/connectors-sdk';
import { GraphQLError } from 'graphql';
import mercurius, { type MercuriusContext } from 'mercurius';
import { jsonArgumentError } from '../boundary/json-arguments.ts';
import { frameworkRequestError, requestStatusOf } from '../boundary/request-errors.ts';
import { databaseUnavailable, isDatabaseUnreachable } from '../database.ts';
import { argumentOf } from './argument-of.ts';

type Execution = Parameters<typeof mercurius.defaultErrorFormatter>[0];
type Log = MercuriusContext['app']['log'];

/**
 * Gives every GraphQL error `extensions.code` (an FF_* code) plus `issues`, `hint`, `path` when
 * there are any, and chooses the HTTP status: 4xx only for a request that could not be read at all
 * (its body, its shape, no query), 200 for GraphQL errors in a readable request, as the
 * GraphQL-over-HTTP spec asks for application/json. Errors that are neither FlowForgeErrors nor
 * the request's fault are our bugs: logged with their stack, shown as FF_INTERNAL without internals.
 */
export function errorFormatter(execution: Execution, context: MercuriusContext) {
  const log = context.reply?.log ?? context.app.log;
  const statuses: number[] = [];
  const errors = (execution.errors ?? []).flatMap((error) => {
    // Mercurius wraps query validation errors (and its check of the body's shape) in one error with
    // an `errors` array; a wrapper that is itself the answer (405 for a GET mutation) stays whole.
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    const expand = Array.isArray(inner) && !frameworkRequestError(error.originalError);
    const found = expand ? inner.map((e: Error) => format(e, log, true)) : [format(error, log, false)];
    for (const { status } of found) if (status !== undefined) statuses.push(status);
    return found.map(({ error: formatted }) => formatted);
  });
  const { response } = mercurius.defaultErrorFormatter({ ...execution, errors } as Execution, context);
  return { statusCode: execution.data ? 200 : (statuses[0] ?? 200), response };
}

/** One error with its FF_* code, and the HTTP status it asks for when the request could not be read. */
function format(error: Error, log: Log, inValidation: boolean): { error: GraphQLError; status?: number } {
  const located = isGraphQLError(error) ? error : undefined;
  // A FlowForgeError has an array `path` (into the input), so graphql-js takes it for an
  // already-located GraphQLError and passes it through unwrapped.
  let original: Error | undefined = located ? located.originalError : error;
  // graphql-js wraps a scalar's error twice (`Expected type "JSON". …`, then `Variable "$i" got …`),
  // Mercurius wraps what a hook or a parser throws: the cause is at the end of the chain.
  while (isGraphQLError(original) && original.originalError) original = original.originalError;
  const known = original instanceof FlowForgeError ? original : frameworkRequestError(original);
  if (known) {
    const problem = known.details.jsonProblem as JsonShapeProblem | undefined;
    const named = located && problem ? withArgumentName(problem, located) : undefined;
    // graphql-js prefixes the JSON scalar's error with the variable and its whole value: when the
    // argument is found, ours names it instead; else graphql-js's names at least the variable.
    const message = named ? named.message : problem && located ? located.message : known.message;
    const extensions = extensionsOf(named ?? known);
    // Its path is into the input (extensions.path), never the GraphQL response path Mercurius copied it to.
    // The FlowForgeError as the original: Mercurius's formatter would unfold a wrapper's `errors` again.
    return { error: rebuilt(error, message, extensions, known, false), status: requestStatusOf(known) };
  }
  if (isDatabaseUnreachable(original)) {
    const unavailable = databaseUnavailable(original);
    return { error: rebuilt(error, unavailable.message, extensionsOf(unavailable), original) };
  }
  if (!original || isGraphQLError(original)) {
    // No original error (or one of graphql-js's, from checkQueryText): the query itself is wrong
    // (syntax, unknown field, bad variable).
    const extensions = { code: 'FF_BAD_INPUT', hint: queryHint(error.message), ...located?.extensions };
    return { error: rebuilt(error, error.message, extensions, original) };
  }
  if (inValidation) {
    // Mercurius put it among the query's validation errors: the query's fault, whatever its class.
    return { error: rebuilt(error, error.message, { code: 'FF_BAD_INPUT', hint: queryHint(error.message) }, original) };
  }
  log.error({ err: original }, 'unexpected error in a GraphQL resolver');
  const extensions = { code: 'FF_INTERNAL', hint: 'this is a FlowForge bug: the control plane log has the details' };
  return { error: rebuilt(error, 'internal error', extensions, original) };
}

function extensionsOf(error: FlowForgeError): Record<string, unknown> {
  const { code, hint, issues, path, retryable } = serializeError(error);
  return { code, retryable, ...(hint ? { hint } : {}), ...(issues ? { issues } : {}), ...(path ? { path } : {}) };
}

/**
 * By name, not instanceof: Mercurius require()s graphql's CommonJS build, and code run through an ESM
 * loader (vitest) may get its ESM build, with a GraphQLError class of its own (the dual package hazard).
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

function rebuilt(
  error: Error,
  message: string,
  extensions: Record<string, unknown>,
  original: Error | undefined,
  responsePath = true,
) {
  const located = isGraphQLError(error) ? error : undefined;
  return new GraphQLError(message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: responsePath ? located?.path : undefined,
    originalError: original,
    extensions,
  });
}

/**
 * The JSON scalar's depth or key error, with the argument it was found in put first in the path and
 * named in the message (`startRun(input) nests …`). The scalar itself sees only the value.
 */
function withArgumentName(problem: JsonShapeProblem, located: GraphQLError): FlowForgeError | undefined {
  const argument = argumentOf(located);
  return argument ? jsonArgumentError(problem, [argument.name], `${argument.field}(${argument.name})`) : undefined;
}

function queryHint(message: string): string {
  return message.startsWith('Syntax Error')
    ? "fix the query text where locations point (line, column); it must be GraphQL, e.g. '{ workflows { name } }'"
    : 'the query asks for something the GraphQL schema does not have, or gives an argument of the wrong type: check the names (an introspection query lists them)';
}
