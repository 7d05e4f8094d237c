import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuthSettings } from '../src/auth/auth-settings.ts';
import { CSRF_HEADER, DEFAULT_SESSION_SETTINGS, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { CookieJar, signInAtProvider, startOidcProvider, type TestOidcProvider } from './oidc-provider-server.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * OIDC sign-in end to end over real HTTP: a real OpenID provider (oidc-provider) and the control plane
 * both on 127.0.0.1, the browser played by fetch with a cookie jar and no automatic redirects.
 * Authorization code + PKCE, groups → roles, the session on GraphQL, and the callbacks it must refuse.
 */

let idp: TestOidcProvider;
let cp: TestControlPlane;
let base: string;
let redirectUrl: string;
/** Everything the control plane logs, at trace level: no code, token or secret may be in it. */
const logs: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  redirectUrl = `${base}/auth/oidc/callback`;
  idp = await startOidcProvider(redirectUrl);
  cp = await startTestControlPlane({
    logger: { level: 'trace', stream: { write: (line: string) => logs.push(line) } },
    auth: {
      sessions: DEFAULT_SESSION_SETTINGS,
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        redirectUrl,
        scopes: 'openid email profile groups',
        groupsClaim: 'groups',
        groupRoles: { 'ff-admins': 'admin', 'ff-editors': 'editor' },
      },
    },
  });
  await cp.app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await cp?.close();
  await idp?.close();
});

/** GET /auth/oidc/login, then the provider's login and consent: the callback URL the provider sent back. */
async function startSignIn(jar: CookieJar, account: string) {
  const login = await jar.fetch(`${base}/auth/oidc/login`);
  expect(login.status).toBe(302);
  const authorizationUrl = login.headers.get('location') as string;
  const callback = await signInAtProvider(jar, authorizationUrl, redirectUrl, account);
  return { authorizationUrl: new URL(authorizationUrl), callback: new URL(callback) };
}

describe('OIDC sign-in against a real OpenID provider', () => {
  it('code + PKCE: the callback sets a session that works for GraphQL, with the groups mapped to roles', async () => {
    const jar = new CookieJar();
    const { authorizationUrl, callback } = await startSignIn(jar, 'grace');
    expect(authorizationUrl.origin).toBe(idp.issuer);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorizationUrl.searchParams.get('nonce')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe(authorizationUrl.searchParams.get('state'));

    const landed = await jar.fetch(callback.href);
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/');
    const setCookie = landed.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const me = await (await jar.fetch(`${base}/auth/session`)).json();
    expect(me).toMatchObject({
      actor: 'user:grace@example.org',
      user: 'grace@example.org',
      via: 'session',
      method: 'oidc',
      roles: ['admin', 'editor'],
    });
    // The mapped admin role is what lets this session list users; the CSRF header comes from /auth/session.
    const users = await jar.fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CSRF_HEADER]: me.csrfToken },
      body: JSON.stringify({ query: '{ users { email signIn } }' }),
    });
    expect(await users.json()).toEqual({ data: { users: [{ email: 'grace@example.org', signIn: ['oidc'] }] } });
    const row = await cp.app.flowforge.services.prisma.user.findUniqueOrThrow({
      where: { email: 'grace@example.org' },
    });
    expect(row).toMatchObject({ oidcIssuer: idp.issuer, oidcSubject: 'grace', passwordHash: null });

    const sessionToken = jar.cookies.get(SESSION_COOKIE) as string;
    const logged = logs.join('');
    expect(logged).toContain('/auth/oidc/login'); // the logs were captured
    for (const secret of [callback.searchParams.get('code') as string, sessionToken, idp.clientSecret, me.csrfToken]) {
      expect(logged).not.toContain(secret);
    }

    // Signing in again finds the same user by issuer + subject.
    const again = new CookieJar();
    const second = await startSignIn(again, 'grace');
    expect((await again.fetch(second.callback.href)).status).toBe(302);
    expect(await cp.app.flowforge.services.prisma.user.count({ where: { oidcSubject: 'grace' } })).toBe(1);
  });

  it('links a local user with the same (verified) email instead of creating another', async () => {
    const { prisma } = cp.app.flowforge.services;
    await prisma.user.create({ data: { email: 'linda@example.org', name: 'Linda', roles: ['operator'] } });
    const jar = new CookieJar();
    const { callback } = await startSignIn(jar, 'linda');
    expect((await jar.fetch(callback.href)).status).toBe(302);
    const me = await (await jar.fetch(`${base}/auth/session`)).json();
    expect(me).toMatchObject({ user: 'linda@example.org', name: 'Linda', roles: ['operator', 'admin', 'editor'] });
    expect(await prisma.user.findUniqueOrThrow({ where: { email: 'linda@example.org' } })).toMatchObject({
      oidcSubject: 'linda',
    });
  });

  it('refuses a tampered state, and a state this browser did not start', async () => {
    const jar = new CookieJar();
    const { callback } = await startSignIn(jar, 'mallory');
    const tampered = new URL(callback);
    const state = tampered.searchParams.get('state') as string;
    tampered.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
    const refused = await jar.fetch(tampered.href);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('FF_UNAUTHENTICATED');
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);

    // The untampered callback in another browser (no state cookie): login CSRF, refused too.
    const otherBrowser = new CookieJar();
    const stolen = await otherBrowser.fetch(callback.href);
    expect(stolen.status).toBe(401);
    expect(otherBrowser.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses a replayed code: the same callback twice, and the code inside a newer sign-in', async () => {
    const jar = new CookieJar();
    const { callback } = await startSignIn(jar, 'replay');
    const stateCookie = jar.cookies.get('ff_oidc_state') as string;
    expect((await jar.fetch(callback.href)).status).toBe(302);

    const replay = new CookieJar();
    replay.cookies.set('ff_oidc_state', stateCookie);
    const second = await replay.fetch(callback.href);
    expect(second.status).toBe(401);
    expect(replay.cookies.has(SESSION_COOKIE)).toBe(false);

    // The used code with the state of a fresh sign-in: the provider refuses it (used, and PKCE-bound).
    const fresh = new CookieJar();
    const next = await startSignIn(fresh, 'replay');
    const swapped = new URL(next.callback);
    swapped.searchParams.set('code', callback.searchParams.get('code') as string);
    const refused = await fresh.fetch(swapped.href);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toContain('invalid_grant');
    expect(fresh.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('PKCE is required: a code redeemed without its verifier is refused by the provider', async () => {
    const jar = new CookieJar();
    const { callback } = await startSignIn(jar, 'pkce');
    // What an attacker holding only the code has: not the verifier kept server-side for this flow.
    await cp.app.flowforge.services.prisma.oidcLoginFlow.updateMany({
      data: { codeVerifier: 'a-verifier-that-does-not-match-the-challenge-sent-0123456789' },
    });
    const refused = await jar.fetch(callback.href);
    expect(refused.status).toBe(401);
    const body = JSON.stringify(await refused.json());
    expect(body).toContain('invalid_grant');
    expect(body).not.toContain(idp.clientSecret);
    expect(body).not.toContain(callback.searchParams.get('code') as string);
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe('OIDC settings', () => {
  const env = { FLOWFORGE_OIDC_ISSUER: 'https://sso.example.org/realms/ff', FLOWFORGE_OIDC_CLIENT_SECRET: 'hush-hush' };

  it('are off without an issuer, need a client id and redirect URL with one, and never echo the secret', () => {
    expect(readAuthSettings({}).oidc).toBeUndefined();
    expect(() => readAuthSettings(env)).toThrow(/FLOWFORGE_OIDC_CLIENT_ID is not set/);
    const full = {
      ...env,
      FLOWFORGE_OIDC_CLIENT_ID: 'flowforge',
      FLOWFORGE_OIDC_REDIRECT_URL: 'https://ff.example.org/auth/oidc/callback',
      FLOWFORGE_OIDC_GROUP_ROLES: '{"ff-admins":"owner"}',
    };
    expect(readAuthSettings(full).oidc).toMatchObject({ groupsClaim: 'groups', groupRoles: { 'ff-admins': 'owner' } });
    for (const [variable, value] of [
      ['FLOWFORGE_OIDC_GROUP_ROLES', '{not json'],
      ['FLOWFORGE_OIDC_GROUP_ROLES', '["ff-admins"]'],
      ['FLOWFORGE_OIDC_ISSUER', 'http://sso.example.org'],
    ] as const) {
      const error = (() => {
        try {
          readAuthSettings({ ...full, [variable]: value });
        } catch (caught) {
          return caught as Error & { code: string };
        }
      })();
      expect(error?.code).toBe('FF_CONFIG');
      expect(error?.message).toContain(variable);
      expect(error?.message).not.toContain('hush-hush');
    }
  });
});
