import { jsonShapeProblem } from '@flowforge/connectors-sdk';
import type { FastifyInstance } from 'fastify';
import { jsonArgumentError, MAX_BODY_BYTES } from './json-arguments.ts';
import { GRAPHQL_REQUEST_SHAPE, requestError } from './request-errors.ts';

/**
 * The control plane's one JSON body parser (GraphQL, resume webhooks), in place of Fastify's: the
 * same policy as Fastify's secure-json-parse with `onProtoPoisoning: 'error'` and
 * `onConstructorPoisoning: 'error'` (a `__proto__` key or `constructor.prototype` anywhere refuses
 * the whole body), but its errors say which of the two was wrong and where. Fastify 5 answers both
 * a syntax error and a forbidden key with the same FST_ERR_CTP_INVALID_JSON_BODY. JSON.parse itself
 * never sets a prototype (it defines `__proto__` as a plain own key); refusing such keys keeps them
 * from reaching one later, when the value is copied or merged.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw requestError(400, 'the request body is empty, but its content-type says JSON', {
      hint: `send a JSON body, or no content-type header (GraphQL: ${GRAPHQL_REQUEST_SHAPE})`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw requestError(400, `the request body is not valid JSON: ${(cause as Error).message}`, {
      cause,
      hint: 'check it with a JSON parser: keys and strings in double quotes, no trailing commas, no comments',
    });
  }
  const problem = jsonShapeProblem(value, { maxDepth: Number.POSITIVE_INFINITY, prototypeKeys: true });
  if (problem) {
    // Depth is checked per argument, where the path can start at the argument's name.
    const { message, path, hint } = jsonArgumentError(problem, [], 'the request body');
    throw requestError(400, message, { path, ...(hint ? { hint } : {}) });
  }
  return value;
}
