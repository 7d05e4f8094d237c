import { z } from 'zod';
import { DurationSchema, defineNodeType } from '../index.ts';
import {
  httpBasicAuth,
  httpBearerAuth,
  httpCredentialTypes,
  httpHeaderAuth,
  oauth2ClientCredentials,
} from './http-credentials.ts';

/** `authentication` names the credential slot (of the same name and type) the request authenticates with. */
export const HTTP_AUTHENTICATIONS = [
  'none',
  httpHeaderAuth.type,
  httpBasicAuth.type,
  httpBearerAuth.type,
  oauth2ClientCredentials.type,
] as const;
export type HttpAuthentication = Exclude<(typeof HTTP_AUTHENTICATIONS)[number], 'none'>;

const CircuitBreakerSchema = z.object({
  // No zod defaults: an unset threshold is the worker's (FLOWFORGE_CIRCUIT_BREAKER_*, else 5 / 60s / 30s).
  failures: z.number().int().min(1).optional().describe('Failures within "window" that open the circuit (default 5).'),
  window: DurationSchema.optional().describe('The window the failures are counted in (default 60s).'),
  coolDown: DurationSchema.optional().describe('How long the open circuit fails fast before one probe (default 30s).'),
});

const HttpParamsSchema = z.object({
  method: z
    .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])
    .default('GET')
    .describe('The HTTP method.'),
  url: z
    .url({ protocol: /^https?$/, error: 'url must be an absolute http:// or https:// URL' })
    .describe('The URL to call; may be an expression ("={{ $json.baseUrl }}/orders/{{ $json.id }}").'),
  headers: z.record(z.string(), z.string()).optional().describe('Request headers: name → value.'),
  authentication: z
    .enum(HTTP_AUTHENTICATIONS)
    .default('none')
    .describe(
      'How the request authenticates: with the credential the node names in the slot of this name ' +
        '("credentials": { "httpBearerAuth": "<credential name>" }). Never an expression.',
    ),
  query: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('Query string parameters, added to those already in the URL.'),
  body: z.unknown().optional().describe('The request body (not for GET/HEAD): an object for json/form, text for text.'),
  bodyType: z
    .enum(['json', 'form', 'text'])
    .default('json')
    .describe('How the body is sent: JSON, URL-encoded form, or plain text.'),
  responseType: z
    .enum(['json', 'text', 'binary'])
    .default('json')
    .describe('How the answer is read: JSON (objects become items), text ({ body }), or binary data.'),
  fullResponse: z.boolean().default(false).describe('Output { statusCode, headers, body } instead of the body alone.'),
  timeout: DurationSchema.default('30s').describe('Time limit for one request (connect + answer).'),
  idempotent: z
    .boolean()
    .default(false)
    .describe('Send an Idempotency-Key header (run id:node id[:item index]) that retries and restarts repeat.'),
  circuitBreaker: z
    .union([z.literal(false), CircuitBreakerSchema])
    .prefault({})
    .describe(
      'Circuit breaker for this host in this worker (network errors, 5xx, 408 and 429 count as failures). While ' +
        'open, the node fails fast with FF_CIRCUIT_OPEN (retryable). false turns it off.',
    ),
});

export type HttpParams = z.infer<typeof HttpParamsSchema>;

export const httpRequestType = defineNodeType({
  type: 'http.request',
  version: 1,
  group: 'integration',
  displayName: 'HTTP Request',
  description:
    'Calls an HTTP API once per input item (or once when there are none) and outputs the answer: a JSON ' +
    'object as an item, a JSON array as one item per element, text as { body }, or binary data. Answers with ' +
    'status 400 and above fail the node (FF_HTTP_STATUS; 5xx, 408 and 429 are retried); network errors and ' +
    'timeouts fail with FF_HTTP_NETWORK and are retried. With idempotent: true every request carries an ' +
    'Idempotency-Key header that a retry repeats. A circuit breaker per host (default: 5 failures within 60s ' +
    'open it for 30s) makes calls to a failing host fail fast with FF_CIRCUIT_OPEN, which is retryable. ' +
    'authentication uses a stored credential (header, basic, bearer, OAuth2 client credentials); its value ' +
    'never appears in outputs or errors.',
  params: HttpParamsSchema,
  inputs: ['main'],
  outputs: ['main'],
  // One slot per authentication: the one `authentication` names must hold a credential.
  credentials: httpCredentialTypes.map((type) => ({
    name: type.type,
    type: type.type,
    required: (params: Record<string, unknown>) => params.authentication === type.type,
    description: `used when authentication is "${type.type}": ${type.description}`,
  })),
  literalParams: ['authentication'],
  defaultTimeout: '5m',
});
