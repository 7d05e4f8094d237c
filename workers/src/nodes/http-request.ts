import {
  DurationSchema,
  defineNode,
  durationToMs,
  FlowForgeError,
  type Item,
  isFlowForgeError,
} from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { workerCircuitBreakers } from '../circuit-breaker/circuit-breakers.ts';
import { describeUrl, statusError, toOutputItems } from './http-response.ts';

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

export const httpRequest = defineNode({
  type: 'http.request',
  version: 1,
  displayName: 'HTTP Request',
  description:
    'Calls an HTTP API once per input item (or once when there are none) and outputs the answer: a JSON ' +
    'object as an item, a JSON array as one item per element, text as { body }, or binary data. Answers with ' +
    'status 400 and above fail the node (FF_HTTP_STATUS; 5xx, 408 and 429 are retried); network errors and ' +
    'timeouts fail with FF_HTTP_NETWORK and are retried. With idempotent: true every request carries an ' +
    'Idempotency-Key header that a retry repeats. A circuit breaker per host (default: 5 failures within 60s ' +
    'open it for 30s) makes calls to a failing host fail fast with FF_CIRCUIT_OPEN, which is retryable.',
  params: HttpParamsSchema,
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '5m',
  async execute(ctx) {
    const count = Math.max(ctx.items.length, 1);
    const main: Item[] = [];
    // One request at a time: the order of output items follows the input, and a remote API sees
    // no burst it did not ask for (n8n's default too).
    for (let index = 0; index < count; index++) {
      const params = ctx.items.length === 0 ? ctx.params : ctx.paramsAt(index);
      // Each request needs a key of its own: with one key for all items, a server would answer the
      // second item with the first one's result.
      const key = count === 1 ? ctx.idempotencyKey : `${ctx.idempotencyKey}:${index}`;
      main.push(...(await guarded(params, () => send(params, ctx.signal, params.idempotent ? key : undefined))));
    }
    return { main };
  },
});

/** The call through this worker's breaker for the target host, unless the node turned it off. */
function guarded(params: HttpParams, call: () => Promise<Item[]>): Promise<Item[]> {
  const settings = params.circuitBreaker;
  if (settings === false) return call();
  return workerCircuitBreakers.run(
    { connector: 'http.request', host: new URL(params.url).host },
    {
      failures: settings.failures,
      windowMs: settings.window === undefined ? undefined : durationToMs(settings.window),
      coolDownMs: settings.coolDown === undefined ? undefined : durationToMs(settings.coolDown),
    },
    call,
    // The host's health: no answer, or an answer a retry may fix (5xx, 408, 429). A 404 is the caller's.
    (error) =>
      isFlowForgeError(error) &&
      error.retryable &&
      (error.code === 'FF_HTTP_NETWORK' || error.code === 'FF_HTTP_STATUS'),
  );
}

async function send(params: HttpParams, cancelled: AbortSignal, idempotencyKey: string | undefined): Promise<Item[]> {
  const url = new URL(params.url);
  for (const [name, value] of Object.entries(params.query ?? {})) url.searchParams.append(name, String(value));
  const headers = new Headers(params.headers);
  // A key the workflow author set by hand is theirs to choose: it wins.
  if (idempotencyKey !== undefined && !headers.has('idempotency-key')) headers.set('idempotency-key', idempotencyKey);
  const body = encodeBody(params, headers);
  const where = `${params.method} ${describeUrl(url)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: params.method,
      headers,
      body,
      redirect: 'follow',
      signal: AbortSignal.any([cancelled, AbortSignal.timeout(durationToMs(params.timeout))]),
    });
  } catch (error) {
    // A cancelled run or activity is not a network failure: let the worker see the abort as it is.
    if (cancelled.aborted) throw error;
    throw networkError(where, params.timeout, error);
  }
  if (response.status >= 400) throw await statusError(where, response);
  return toOutputItems(response, params.responseType, params.fullResponse, url, where);
}

function encodeBody(params: HttpParams, headers: Headers): string | undefined {
  if (params.body === undefined) return undefined;
  if (params.method === 'GET' || params.method === 'HEAD') {
    throw new FlowForgeError('FF_INVALID_PARAMS', `a ${params.method} request cannot have a body`, {
      path: ['params', 'body'],
      hint: 'remove "body", or use POST, PUT or PATCH',
    });
  }
  const setType = (type: string) => {
    if (!headers.has('content-type')) headers.set('content-type', type);
  };
  switch (params.bodyType) {
    case 'json':
      setType('application/json');
      return JSON.stringify(params.body);
    case 'form':
      setType('application/x-www-form-urlencoded');
      return formBody(params.body);
    case 'text':
      setType('text/plain; charset=utf-8');
      return typeof params.body === 'string' ? params.body : JSON.stringify(params.body);
    default: {
      const exhaustive: never = params.bodyType;
      throw new Error(`unknown body type ${String(exhaustive)}`);
    }
  }
}

function formBody(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new FlowForgeError('FF_INVALID_PARAMS', 'a form body is an object of field names and values', {
      path: ['params', 'body'],
      hint: 'use { "name": "value" }, or set bodyType to "text" or "json"',
    });
  }
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const entry of values) {
      if (entry === undefined || entry === null) continue;
      form.append(name, typeof entry === 'object' ? JSON.stringify(entry) : String(entry));
    }
  }
  return form.toString();
}

function networkError(where: string, timeout: string, error: unknown): FlowForgeError {
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
  const reason = timedOut ? `got no answer within ${timeout}` : `failed: ${networkReason(error)}`;
  return new FlowForgeError('FF_HTTP_NETWORK', `${where} ${reason}`, {
    retryable: true,
    hint: timedOut ? 'raise the "timeout" parameter if the server is slow' : 'check the URL and that the server is up',
    cause: error,
  });
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
