import { createHash } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { OAuth2ClientCredentials } from '@flowforge/connectors-sdk/builtin';
import { describeUrl } from './http-response.ts';

interface CachedToken {
  token: string;
  /** When to fetch a new one: a margin before the server's expiry. */
  renewAt: number;
}

/** At most this many clients' tokens are kept; the oldest goes first. */
const MAX_CACHED = 1000;
const TOKEN_TIMEOUT_MS = 30_000;

/**
 * Access tokens of the OAuth 2.0 client credentials grant (RFC 6749 §4.4), cached in this worker's
 * memory until shortly before they expire, so a run of 1,000 requests asks the token endpoint once.
 * Keyed by a hash of the whole credential (a changed secret gets a new token) and never written
 * anywhere: a restarted worker fetches new tokens. Concurrent requests for the same client share
 * one fetch. A token the API refuses with 401 is dropped (`invalidate`) and fetched again once.
 */
export class OAuth2TokenCache {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async token(credential: OAuth2ClientCredentials, signal: AbortSignal): Promise<string> {
    const key = cacheKey(credential);
    const cached = this.#tokens.get(key);
    if (cached && cached.renewAt > this.#now()) return cached.token;
    let fetching = this.#inFlight.get(key);
    if (!fetching) {
      fetching = this.#fetch(key, credential, signal).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, fetching);
    }
    return fetching;
  }

  /** Drops the token if it is still the cached one (the API refused it: revoked, or expired early). */
  invalidate(credential: OAuth2ClientCredentials, token: string): void {
    const key = cacheKey(credential);
    if (this.#tokens.get(key)?.token === token) this.#tokens.delete(key);
  }

  clear(): void {
    this.#tokens.clear();
  }

  async #fetch(key: string, credential: OAuth2ClientCredentials, signal: AbortSignal): Promise<string> {
    const fetchedAt = this.#now();
    const { token, expiresIn } = await requestToken(credential, signal);
    if (expiresIn !== undefined && expiresIn > 0) {
      const lifetimeMs = expiresIn * 1000;
      // Renew a little early (a tenth of the lifetime, at most 30 s), so no request leaves with a token about to expire.
      this.#tokens.set(key, { token, renewAt: fetchedAt + lifetimeMs - Math.min(30_000, lifetimeMs / 10) });
      while (this.#tokens.size > MAX_CACHED) this.#tokens.delete(this.#tokens.keys().next().value as string);
    }
    // No expires_in: the server did not say how long it lasts, so it serves this request only.
    return token;
  }
}

/** This worker's token cache (shared by every http.request execution in the process). */
export const workerOAuth2Tokens = new OAuth2TokenCache();

function cacheKey(credential: OAuth2ClientCredentials): string {
  const parts = [credential.tokenUrl, credential.clientId, credential.clientSecret, credential.scope ?? ''];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Client authentication with HTTP Basic, id and secret form-encoded first (RFC 6749 §2.3.1). */
export function clientAuthorization(credential: OAuth2ClientCredentials): string {
  const id = encodeURIComponent(credential.clientId);
  const secret = encodeURIComponent(credential.clientSecret);
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function requestToken(
  credential: OAuth2ClientCredentials,
  signal: AbortSignal,
): Promise<{ token: string; expiresIn: number | undefined }> {
  const url = new URL(credential.tokenUrl);
  const where = `the OAuth2 token endpoint ${describeUrl(url)}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credential.scope) form.set('scope', credential.scope);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: clientAuthorization(credential),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      // A token endpoint never needs a redirect; following one would send the client secret elsewhere.
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(TOKEN_TIMEOUT_MS)]),
    });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new FlowForgeError('FF_HTTP_NETWORK', `${where} did not answer: ${(cause as Error).message}`, {
      retryable: true,
      hint: 'check tokenUrl in the credential and that the server is up',
    });
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!response.ok) {
    // RFC 6749 §5.2: `error` is a code such as invalid_client or invalid_scope.
    const reason = typeof body?.error === 'string' ? `: ${body.error}` : '';
    const retryable = response.status >= 500 || response.status === 429;
    throw new FlowForgeError('FF_HTTP_STATUS', `${where} answered ${response.status}${reason}`, {
      retryable,
      details: { statusCode: response.status },
      hint: retryable
        ? 'the token server may recover; the node is retried by its retry policy'
        : 'check the credential (clientId, clientSecret, scope): flowforge credentials set <name> --type oauth2ClientCredentials',
    });
  }
  const token = body?.access_token;
  const type = body?.token_type;
  if (typeof token !== 'string' || token === '' || (typeof type === 'string' && type.toLowerCase() !== 'bearer')) {
    throw new FlowForgeError(
      'FF_HTTP_STATUS',
      `${where} answered without a bearer access_token (token_type ${JSON.stringify(type ?? null)})`,
      { retryable: false, details: { statusCode: response.status } },
    );
  }
  const expiresIn = Number(body?.expires_in);
  return { token, expiresIn: Number.isFinite(expiresIn) ? expiresIn : undefined };
}
