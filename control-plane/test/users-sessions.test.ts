import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { CSRF_HEADER, DEFAULT_SESSION_SETTINGS, SESSION_COOKIE, SessionStore } from '../src/auth/sessions.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * Local users and UI sessions on a real PostgreSQL: users through GraphQL (admin role), argon2id at
 * rest, POST /auth/login → an http-only SameSite cookie, the session as a GraphQL principal with the
 * CSRF header required, idle timeout, logout, and the backoff for wrong passwords.
 */

const CREATE = `mutation ($email: String!, $name: String, $password: String) {
  createUser(email: $email, name: $name, password: $password) { id email name roles signIn createdAt lastLoginAt }
}`;
const PASSWORD = 'correct horse battery staple';

let cp: TestControlPlane;
let adminKey: string;
/** Everything the control plane logs, at trace level. */
const logs: string[] = [];
beforeAll(async () => {
  cp = await startTestControlPlane({
    logger: { level: 'trace', stream: { write: (line: string) => logs.push(line) } },
    auth: { sessions: { ttlSeconds: 3600, idleSeconds: 120, secureCookies: undefined }, oidc: undefined },
  });
  adminKey = (await createApiKey(cp.app.flowforge.services.prisma, 'admin', { user: 'admin', roles: ['admin'] })).key;
});
afterAll(async () => {
  await cp?.close();
});

const prisma = () => cp.app.flowforge.services.prisma;
const email = () => `${uniqueName('ada')}@example.org`;

async function createUser(address: string, password: string | null = PASSWORD) {
  const { body } = await cp.graphql(CREATE, { email: address, name: 'Ada', password }, `Bearer ${adminKey}`);
  expect(body.errors).toBeUndefined();
  return body.data.createUser;
}

function login(address: string, password: string, headers: Record<string, string> = {}) {
  return cp.app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ email: address, password }),
  });
}

function graphqlWithCookie(token: string, query: string, headers: Record<string, string> = {}) {
  return cp.app.inject({
    method: 'POST',
    url: '/graphql',
    cookies: { [SESSION_COOKIE]: token },
    headers,
    payload: { query },
  });
}

async function signIn(address: string) {
  const response = await login(address, PASSWORD);
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  return { cookie, token: cookie?.value as string, body: response.json() };
}

describe('users', () => {
  it('createUser (admin) stores an argon2id hash with OWASP parameters; users lists without it', async () => {
    const address = email();
    const user = await createUser(address.toUpperCase());
    expect(user).toMatchObject({ email: address, name: 'Ada', signIn: ['password'], roles: [], lastLoginAt: null });
    const row = await prisma().user.findUniqueOrThrow({ where: { email: address } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const { body } = await cp.graphql('{ users { email signIn } }', {}, `Bearer ${adminKey}`);
    expect(body.data.users).toContainEqual({ email: address, signIn: ['password'] });
    expect(JSON.stringify(body)).not.toContain('argon2');
    const audit = await prisma().auditEvent.findFirstOrThrow({
      where: { action: 'user.create', target: `user:${address}` },
    });
    // seq is a BigInt (the audit log's insertion order), which JSON.stringify cannot write as it is.
    expect(JSON.stringify({ ...audit, seq: String(audit.seq) })).not.toContain(PASSWORD);
  });

  it('needs the admin role, refuses a duplicate email and a short password without echoing it', async () => {
    const denied = await cp.graphql('{ users { email } }');
    expect(denied.body.errors?.[0]?.extensions.code).toBe('FF_FORBIDDEN');
    expect(denied.body.errors?.[0]?.message).toContain('admin role');
    const address = email();
    await createUser(address);
    const again = await cp.graphql(CREATE, { email: address, password: PASSWORD }, `Bearer ${adminKey}`);
    expect(again.body.errors?.[0]?.extensions.code).toBe('FF_CONFLICT');
    const short = await cp.graphql(CREATE, { email: email(), password: 'tiny-secret' }, `Bearer ${adminKey}`);
    expect(short.body.errors?.[0]?.extensions.code).toBe('FF_BAD_INPUT');
    expect(JSON.stringify(short.body)).not.toContain('tiny-secret');
  });
});

describe('sessions', () => {
  it('login sets an http-only SameSite=Lax cookie stored hashed; the session is a GraphQL principal', async () => {
    const address = email();
    await createUser(address);
    const { cookie, token, body } = await signIn(address);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy(); // plain http here; https or FLOWFORGE_COOKIE_SECURE=true sets it
    expect(body).toMatchObject({ user: { email: address, name: 'Ada' }, method: 'password' });
    expect(JSON.stringify(await prisma().session.findMany())).not.toContain(token);

    const withCsrf = await graphqlWithCookie(token, '{ workflows { name } }', { [CSRF_HEADER]: body.csrfToken });
    expect(withCsrf.json()).toEqual({ data: { workflows: [] } });
    const me = await cp.app.inject({ method: 'GET', url: '/auth/session', cookies: { [SESSION_COOKIE]: token } });
    expect(me.json()).toMatchObject({
      actor: `user:${address}`,
      user: address,
      via: 'session',
      csrfToken: body.csrfToken,
    });
    const row = await prisma().user.findUniqueOrThrow({ where: { email: address } });
    expect(row.lastLoginAt).not.toBeNull();
    const logged = logs.join('');
    expect(logged).toContain('/auth/login'); // the logs were captured
    for (const secret of [PASSWORD, token, body.csrfToken]) expect(logged).not.toContain(secret);
  });

  it('the cookie is Secure when FLOWFORGE_COOKIE_SECURE says so; /auth/session answers API keys too', async () => {
    const secure = new SessionStore(prisma(), { ...DEFAULT_SESSION_SETTINGS, secureCookies: true });
    const probe = Fastify();
    await probe.register(fastifyCookie, { hook: false });
    probe.get('/', async (request, reply) => {
      secure.setCookie(request, reply, 'token');
      return {};
    });
    const set = await probe.inject({ method: 'GET', url: '/' });
    expect(set.cookies[0]).toMatchObject({ name: SESSION_COOKIE, secure: true, httpOnly: true, sameSite: 'Lax' });
    await probe.close();

    const byKey = await cp.app.inject({
      method: 'GET',
      url: '/auth/session',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(byKey.json()).toEqual({ actor: 'api-key:admin', user: 'admin', roles: ['admin'], via: 'api-key' });
    const nobody = await cp.app.inject({ method: 'GET', url: '/auth/session' });
    expect(nobody.statusCode).toBe(401);
  });

  it('a cookie-authenticated POST without the CSRF header, with a wrong one or from another origin is refused', async () => {
    const address = email();
    await createUser(address);
    const { token, body } = await signIn(address);
    const refusedHeaders: Array<Record<string, string>> = [
      {},
      { [CSRF_HEADER]: 'x'.repeat(43) },
      { [CSRF_HEADER]: body.csrfToken, origin: 'https://evil.example' },
    ];
    for (const headers of refusedHeaders) {
      const response = await graphqlWithCookie(token, 'mutation { deactivateWorkflow(name: "x") { name } }', headers);
      expect(response.statusCode).toBe(403);
      expect(response.json().errors[0].extensions.code).toBe('FF_FORBIDDEN');
    }
    const crossSiteLogin = await login(address, PASSWORD, { origin: 'https://evil.example' });
    expect(crossSiteLogin.statusCode).toBe(403);
    const formLogin = await cp.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(address)}&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(formLogin.statusCode).toBeGreaterThanOrEqual(400);
    expect(formLogin.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
  });

  it('logout ends the session; an idle session ends too', async () => {
    const address = email();
    await createUser(address);
    const first = await signIn(address);
    const noCsrf = await cp.app.inject({
      method: 'POST',
      url: '/auth/logout',
      cookies: { [SESSION_COOKIE]: first.token },
    });
    expect(noCsrf.statusCode).toBe(403);
    const logout = await cp.app.inject({
      method: 'POST',
      url: '/auth/logout',
      cookies: { [SESSION_COOKIE]: first.token },
      headers: { [CSRF_HEADER]: first.body.csrfToken },
    });
    expect(logout.statusCode).toBe(200);
    const after = await graphqlWithCookie(first.token, '{ workflows { name } }', {
      [CSRF_HEADER]: first.body.csrfToken,
    });
    expect(after.statusCode).toBe(401);

    const second = await signIn(address);
    await prisma().session.updateMany({
      where: { user: { email: address } },
      data: { lastSeenAt: new Date(Date.now() - 121_000) },
    });
    const idle = await graphqlWithCookie(second.token, '{ workflows { name } }', {
      [CSRF_HEADER]: second.body.csrfToken,
    });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().errors[0].extensions.code).toBe('FF_UNAUTHENTICATED');
    expect(await prisma().session.count({ where: { user: { email: address } } })).toBe(0);
  });

  it('a burst of concurrent wrong passwords counts every one', async () => {
    const address = email();
    await createUser(address);
    const answers = await Promise.all(Array.from({ length: 4 }, () => login(address, 'wrong-in-parallel')));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    const row = await prisma().loginThrottle.findUniqueOrThrow({ where: { key: `email:${address}` } });
    expect(row).toMatchObject({ failures: 4, lockedUntil: null });
    await prisma().loginThrottle.deleteMany({ where: { key: 'ip:127.0.0.1' } });
  });

  it('wrong passwords and unknown emails answer alike; after 5 failures an account waits (429, Retry-After)', async () => {
    const address = email();
    await createUser(address);
    const unknown = await login(email(), PASSWORD);
    const wrong = await login(address, 'not the password at all');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.body).not.toContain('not the password at all');
    for (let attempt = 0; attempt < 4; attempt++)
      expect((await login(address, 'wrong-again-and-again')).statusCode).toBe(401);
    // Five failures are free; the sixth locks the account for 1 s, so even the right password waits.
    expect((await login(address, 'wrong-again-and-again')).statusCode).toBe(401);
    const locked = await login(address, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(locked.json().error.code).toBe('FF_RATE_LIMITED');
    const row = await prisma().loginThrottle.findUniqueOrThrow({ where: { key: `email:${address}` } });
    expect(row.failures).toBe(6);
    expect(row.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(row.lockedUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 1500);
    await prisma().loginThrottle.updateMany({ where: { key: `email:${address}` }, data: { lockedUntil: null } });
    expect((await login(address, PASSWORD)).statusCode).toBe(200);
    expect(await prisma().loginThrottle.count({ where: { key: `email:${address}` } })).toBe(0);
  });
});
