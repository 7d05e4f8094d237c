import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server (127.0.0.1, random port) for credential tests: a real OAuth 2.0 authorization
 * server for the client credentials grant (RFC 6749 §4.4, client authentication with HTTP Basic),
 * an API that accepts only its unexpired bearer tokens, and echo paths that give back the request's
 * headers (so a test can see a secret arrive, and check it never comes back out of FlowForge).
 *
 * - `POST /oauth/token`: `grant_type=client_credentials[&scope=...]` → `{ access_token, token_type, expires_in }`
 *   (401 `invalid_client`, 400 `unsupported_grant_type` / `invalid_scope`);
 * - `/api/<anything>`: 200 `{ path, scope }` with a valid token, else 401 `invalid_token`;
 * - `/echo`: 200 `{ headers }`; `/echo-fail`: 500 with the headers in the body;
 * - `/redirect-same` → 302 `/echo`; `/redirect-away` → 302 to another origin (`otherOrigin`).
 */
export interface AuthTestServer {
  url: string;
  /** A second listener, another origin: where `/redirect-away` points. */
  otherOrigin: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** How many tokens the token endpoint issued. */
  tokensIssued(): number;
  /** The headers of every request to the echo paths and the API, as they arrived (for the test only). */
  received(): IncomingMessage['headers'][];
  /** Requests that reached the other origin (a credential header on one would be a leak). */
  otherOriginRequests(): IncomingMessage['headers'][];
  /** The API refuses every token issued so far (as after a key rollover on the server). */
  revokeAll(): void;
  /** How long new tokens live (expires_in); default 3600 s. */
  setTokenLifetime(seconds: number | undefined): void;
  close(): Promise<void>;
}

interface Token {
  expiresAt: number;
  scope: string | undefined;
}

export async function startAuthTestServer(options: { scopes?: string[] } = {}): Promise<AuthTestServer> {
  const clientId = `client-${randomBytes(4).toString('hex')}`;
  const clientSecret = `secret-${randomBytes(12).toString('hex')}`;
  const tokens = new Map<string, Token>();
  const away: IncomingMessage['headers'][] = [];
  const received: IncomingMessage['headers'][] = [];
  let issued = 0;
  let lifetime: number | undefined = 3600;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await bodyOf(req));
    const [id, secret] = basicCredentials(req.headers.authorization);
    if (id !== clientId || secret !== clientSecret) {
      return json(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' });
    }
    if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
    const scope = form.get('scope') ?? undefined;
    if (scope && options.scopes && !scope.split(' ').every((s) => options.scopes?.includes(s))) {
      return json(res, 400, { error: 'invalid_scope' });
    }
    const accessToken = `at-${randomBytes(16).toString('hex')}`;
    issued++;
    tokens.set(accessToken, { expiresAt: Date.now() + (lifetime ?? 3600) * 1000, scope });
    return json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      ...(lifetime !== undefined ? { expires_in: lifetime } : {}),
      ...(scope ? { scope } : {}),
    });
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/oauth/token' && req.method === 'POST') return token(req, res);
    received.push(req.headers);
    if (url.pathname.startsWith('/api/')) {
      const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const known = presented ? tokens.get(presented) : undefined;
      if (!known || known.expiresAt <= Date.now()) return json(res, 401, { error: 'invalid_token' });
      return json(res, 200, { path: url.pathname, scope: known.scope ?? null });
    }
    if (url.pathname === '/echo') return json(res, 200, { headers: req.headers });
    if (url.pathname === '/echo-fail') return json(res, 500, { headers: req.headers });
    if (url.pathname === '/redirect-same') return res.writeHead(302, { location: '/echo' }).end();
    if (url.pathname === '/redirect-away') return res.writeHead(302, { location: `${otherOrigin}/landing` }).end();
    return json(res, 404, { error: 'not found' });
  });
  const other = createServer((req, res) => {
    away.push(req.headers);
    json(res, 200, { headers: req.headers });
  });
  const listen = (s: typeof server) =>
    new Promise<string>((resolve) =>
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
    );
  const url = await listen(server);
  const otherOrigin = await listen(other);
  return {
    url,
    otherOrigin,
    tokenUrl: `${url}/oauth/token`,
    clientId,
    clientSecret,
    tokensIssued: () => issued,
    received: () => [...received],
    otherOriginRequests: () => [...away],
    revokeAll: () => tokens.clear(),
    setTokenLifetime: (seconds) => {
      lifetime = seconds;
    },
    close: async () => {
      await Promise.all(
        [server, other].map((s) => new Promise<void>((resolve) => s.close(() => resolve())).then(() => undefined)),
      );
    },
  };
}

function basicCredentials(header: string | undefined): [string | undefined, string | undefined] {
  const encoded = /^Basic (\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return [undefined, undefined];
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return [undefined, undefined];
  // RFC 6749 §2.3.1: both parts are form-encoded before Basic.
  return [decodeURIComponent(text.slice(0, colon)), decodeURIComponent(text.slice(colon + 1))];
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
