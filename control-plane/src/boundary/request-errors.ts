import { FlowForgeError, type FlowForgeErrorOptions } from '@flowforge/connectors-sdk';
import { MAX_BODY_BYTES } from './json-arguments.ts';

/** What a GraphQL request looks like, for hints. */
export const GRAPHQL_REQUEST_SHAPE =
  'POST /graphql with content-type: application/json and a body { "query": "<GraphQL text>", "variables": { … } }';

/**
 * A request FlowForge could not read at all (its body, its shape): FF_BAD_INPUT with the HTTP
 * status to answer with (400, 413, 415), which the error handlers find in `details.httpStatus`.
 * GraphQL errors in a readable request (syntax, unknown fields, bad arguments) answer 200, as the
 * GraphQL-over-HTTP spec asks for application/json.
 */
export function requestError(status: number, message: string, options: FlowForgeErrorOptions = {}): FlowForgeError {
  return new FlowForgeError('FF_BAD_INPUT', message, {
    ...options,
    details: { ...options.details, httpStatus: status },
  });
}

/** The HTTP status a requestError asked for. */
export function requestStatusOf(error: FlowForgeError): number | undefined {
  const status = error.details.httpStatus;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Fastify's and Mercurius's errors for a request they could not take (too large, no query, a body
 * that is not a GraphQL request) as requestErrors that say what was wrong and what to do; undefined
 * for anything else. Before this, they reached the GraphQL error formatter as "internal error".
 */
export function frameworkRequestError(raw: unknown): FlowForgeError | undefined {
  if (!(raw instanceof Error)) return undefined;
  const { code, statusCode } = raw as Error & { code?: unknown; statusCode?: unknown };
  const cause = { cause: raw };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return requestError(
        413,
        `the request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB), the control plane's limit`,
        {
          ...cause,
          hint: 'send less: a run input or definition that big belongs in a system the workflow reads from (http.request, a database)',
        },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return requestError(415, 'the request has a content-type the control plane does not read', {
        ...cause,
        hint: `send JSON with content-type: application/json (${GRAPHQL_REQUEST_SHAPE})`,
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return requestError(400, 'the request body is not as long as its content-length header says', {
        ...cause,
        hint: 'let the HTTP client set content-length',
      });
    case 'FST_ERR_VALIDATION':
      // Mercurius's JSON schema of a GraphQL request: `[]`, `"text"`, `{"variables": 1}`.
      return requestError(400, `the request is not a GraphQL request: ${raw.message}`, {
        ...cause,
        hint: GRAPHQL_REQUEST_SHAPE,
      });
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND':
      // Mercurius's answer to a missing, empty or null "query".
      return requestError(400, 'the request has no "query": the GraphQL text to run', {
        ...cause,
        path: ['query'],
        hint: GRAPHQL_REQUEST_SHAPE,
      });
    case 'MER_ERR_GQL_QUERY_DEPTH':
      // Mercurius's queryDepth (FLOWFORGE_GRAPHQL_MAX_DEPTH): a query error, answered 200 like the others.
      return new FlowForgeError('FF_QUERY_TOO_COMPLEX', raw.message.replace(/^`|`$/g, ''), {
        ...cause,
        hint: 'select fewer nested levels, and ask for the deeper data in a second query (FLOWFORGE_GRAPHQL_MAX_DEPTH)',
      });
    case 'MER_ERR_METHOD_NOT_ALLOWED':
      return requestError(405, 'a mutation cannot be sent with GET', { ...cause, hint: GRAPHQL_REQUEST_SHAPE });
    case 'MER_ERR_GQL_VALIDATION':
      // The variables of a GET request (?variables=…) that are not JSON (graphql-js errors come wrapped, not here).
      if (raw instanceof SyntaxError) {
        return requestError(400, `the variables in the URL are not valid JSON: ${raw.message}`, {
          ...cause,
          path: ['variables'],
          hint: GRAPHQL_REQUEST_SHAPE,
        });
      }
      return undefined;
    default:
      if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
        return requestError(statusCode, raw.message, {
          ...cause,
          hint: 'send the request as the API describes it (GraphQL at /graphql, see control-plane/README.md)',
        });
      }
      return undefined;
  }
}
