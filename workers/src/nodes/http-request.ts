import { durationToMs, FlowForgeError, type Item, implementNode, isFlowForgeError } from '@flowforge/connectors-sdk';
import { type HttpParams, httpRequestType } from '@flowforge/connectors-sdk/builtin';
import { workerCircuitBreakers } from '../circuit-breaker/circuit-breakers.ts';
import { type RequestAuth, requestAuth } from './http-authentication.ts';
import { describeUrl, statusError, toOutputItems } from './http-response.ts';

/** Redirects an authenticated request follows, all on the same origin. */
const MAX_REDIRECTS = 10;

export const httpRequest = implementNode(httpRequestType, async (ctx) => {
  const count = Math.max(ctx.items.length, 1);
  const main: Item[] = [];
  // A literal parameter (never an expression): the same for every item.
  const auth = await requestAuth(ctx, ctx.params.authentication);
  // One request at a time: the order of output items follows the input, and a remote API sees
  // no burst it did not ask for (n8n's default too).
  for (let index = 0; index < count; index++) {
    const params = ctx.items.length === 0 ? ctx.params : ctx.paramsAt(index);
    // Each request needs a key of its own: with one key for all items, a server would answer the
    // second item with the first one's result.
    const key = count === 1 ? ctx.idempotencyKey : `${ctx.idempotencyKey}:${index}`;
    main.push(...(await guarded(params, () => send(params, ctx.signal, params.idempotent ? key : undefined, auth))));
  }
  return { main };
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

async function send(
  params: HttpParams,
  cancelled: AbortSignal,
  idempotencyKey: string | undefined,
  auth: RequestAuth | undefined,
): Promise<Item[]> {
  const url = new URL(params.url);
  for (const [name, value] of Object.entries(params.query ?? {})) url.searchParams.append(name, String(value));
  const headers = new Headers(params.headers);
  // A key the workflow author set by hand is theirs to choose: it wins.
  if (idempotencyKey !== undefined && !headers.has('idempotency-key')) headers.set('idempotency-key', idempotencyKey);
  const body = encodeBody(params, headers);
  const where = `${params.method} ${describeUrl(url)}`;
  const signal = AbortSignal.any([cancelled, AbortSignal.timeout(durationToMs(params.timeout))]);
  let response: Response;
  try {
    await auth?.apply(headers);
    response = await (auth ? fetchOnOrigin : fetch)(url, {
      method: params.method,
      headers,
      body,
      signal,
      redirect: 'follow',
    });
    if (response.status === 401 && auth?.renew()) {
      await response.body?.cancel();
      await auth.apply(headers);
      response = await fetchOnOrigin(url, { method: params.method, headers, body, signal });
    }
  } catch (error) {
    // A cancelled run or activity is not a network failure: let the worker see the abort as it is.
    if (cancelled.aborted) throw error;
    if (isFlowForgeError(error)) throw error;
    throw networkError(where, params.timeout, error);
  }
  if (response.status >= 400) throw await statusError(where, response);
  return toOutputItems(response, params.responseType, params.fullResponse, url, where);
}

/**
 * fetch for a request that carries a credential: redirects are followed only on the same origin.
 * fetch drops `Authorization` on a cross-origin redirect but keeps every other header, so an API key
 * header would go to wherever the server points; such a redirect fails the node instead.
 */
async function fetchOnOrigin(url: URL, init: RequestInit): Promise<Response> {
  let current = url;
  let { method, body } = init;
  for (let hop = 0; ; hop++) {
    const response = await fetch(current, { ...init, method, body, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== url.origin || hop >= MAX_REDIRECTS) {
      throw new FlowForgeError(
        'FF_HTTP_STATUS',
        `${init.method} ${describeUrl(url)} redirected to ${next.origin === url.origin ? 'itself too often' : `another origin (${next.origin})`}; the credential is not sent there`,
        { retryable: false, details: { statusCode: response.status }, hint: 'call the final URL directly' },
      );
    }
    // 303, and 301/302 after a POST, go on as GET without a body (as fetch's own redirects do).
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    current = next;
  }
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
