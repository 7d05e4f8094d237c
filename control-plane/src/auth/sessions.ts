import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrismaClient } from '../database.ts';
import { authenticate, type Principal } from './api-keys.ts';

/** The session cookie: an opaque random token; the database keeps its sha256 only. */
export const SESSION_COOKIE = 'ff_session';
/** The header a cookie-authenticated POST (GraphQL included) must carry: see `csrfTokenOf`. */
export const CSRF_HEADER = 'x-flowforge-csrf';

export interface SessionSettings {
  /** Absolute lifetime (FLOWFORGE_SESSION_TTL_SECONDS, default 12 h). */
  ttlSeconds: number;
  /** A session unused this long ends (FLOWFORGE_SESSION_IDLE_SECONDS, default 30 min). */
  idleSeconds: number;
  /** FLOWFORGE_COOKIE_SECURE: true always sets Secure; undefined sets it when the request came over https. */
  secureCookies: boolean | undefined;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  ttlSeconds: 12 * 3600,
  idleSeconds: 1800,
  secureCookies: undefined,
};

/** lastSeenAt is written at most this often: a busy UI does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

export interface LiveSession {
  id: string;
  roles: string[];
  method: string;
  user: SessionUser;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The CSRF defence (a double-submit token bound to the session): the token is a hash of the
 * session token, so the server needs to store nothing, and only a page that could read the
 * http-only cookie's value (nobody) or the answer of /auth/login or /auth/session (same-origin
 * only: no CORS) can send it. Cross-site forms cannot set a custom header at all.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`flowforge-csrf:${sessionToken}`).digest('base64url');
}

export class SessionStore {
  readonly #prisma: PrismaClient;
  readonly settings: SessionSettings;

  constructor(prisma: PrismaClient, settings: SessionSettings) {
    this.#prisma = prisma;
    this.settings = settings;
  }

  /** A new session for the user; returns the token (the cookie's value), which exists nowhere else. */
  async create(userId: string, roles: readonly string[], method: 'password' | 'oidc'): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.#prisma.session.create({
      data: {
        tokenHash: sha256(token),
        userId,
        roles: [...new Set(roles)],
        method,
        expiresAt: new Date(Date.now() + this.settings.ttlSeconds * 1000),
      },
    });
    // Sessions that ended are removed as new ones start: no sweeper to run.
    void this.#prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } }).catch(() => undefined);
    return token;
  }

  /** The live session of a token and its user, or undefined (unknown, expired, idle too long). */
  async find(token: string): Promise<LiveSession | undefined> {
    const tokenHash = sha256(token);
    const session = await this.#prisma.session.findUnique({
      where: { tokenHash },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    if (!session || !timingSafeEqual(Buffer.from(session.tokenHash), Buffer.from(tokenHash))) return undefined;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > this.settings.idleSeconds * 1000) {
      await this.#prisma.session.deleteMany({ where: { id: session.id } });
      return undefined;
    }
    if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      void this.#prisma.session
        .update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } })
        .catch(() => undefined);
    }
    return { id: session.id, roles: session.roles, method: session.method, user: session.user };
  }

  async revoke(token: string): Promise<void> {
    await this.#prisma.session.deleteMany({ where: { tokenHash: sha256(token) } });
  }

  setCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      secure: this.settings.secureCookies ?? request.protocol === 'https',
      // Lax, not Strict: the OIDC callback is a top-level redirect from the provider, and the page it
      // redirects to must see the cookie. Cross-site POSTs never carry it.
      sameSite: 'lax',
      path: '/',
      maxAge: this.settings.ttlSeconds,
    });
  }

  clearCookie(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /**
   * Who calls: the API key when `Authorization` is sent (the CLI), else the session cookie (the UI).
   * A cookie-authenticated request that changes anything (any method but GET/HEAD/OPTIONS, so every
   * GraphQL POST) must carry the CSRF header and, when the browser sends Origin, come from this host.
   */
  async authenticate(request: FastifyRequest): Promise<Principal> {
    return (await this.identify(request)).principal;
  }

  /** `authenticate`, with the session and its token when the caller is one (GET /auth/session shows them). */
  async identify(request: FastifyRequest): Promise<{ principal: Principal; session?: LiveSession; token?: string }> {
    const token = cookieOf(request, SESSION_COOKIE);
    if (request.headers.authorization !== undefined || !token) {
      return { principal: await authenticate(this.#prisma, request.headers.authorization) };
    }
    const session = await this.find(token);
    if (!session) {
      throw new FlowForgeError('FF_UNAUTHENTICATED', 'the session has ended (expired, idle or signed out)', {
        hint: 'sign in again: POST /auth/login or GET /auth/oidc/login',
      });
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) checkCsrf(request, token);
    return { principal: principalOf(session), session, token };
  }
}

/**
 * One cookie of the request. Parsed here, on the routes that read cookies, rather than by a global hook:
 * webhook and API-key requests never pay for it.
 */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? request.server.parseCookie(header)[name] : undefined;
}

/** The session's caller as resolvers see it: the user is the actor. */
export function principalOf(session: { id: string; roles: string[]; user: SessionUser }): Principal {
  return {
    apiKeyId: '',
    sessionId: session.id,
    name: session.user.email,
    actor: `user:${session.user.email}`,
    user: session.user.email,
    roles: session.roles,
  };
}

export function checkCsrf(request: FastifyRequest, sessionToken: string): void {
  checkSameOrigin(request);
  const sent = request.headers[CSRF_HEADER];
  const expected = csrfTokenOf(sessionToken);
  if (
    typeof sent !== 'string' ||
    sent.length !== expected.length ||
    !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
  ) {
    throw new FlowForgeError(
      'FF_FORBIDDEN',
      `a cookie-authenticated ${request.method} needs the ${CSRF_HEADER} header`,
      {
        hint: `send ${CSRF_HEADER} with the csrfToken that POST /auth/login or GET /auth/session answered`,
      },
    );
  }
}

/** A browser names the page's origin on every POST: one from another host is refused (when it says). */
export function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {}
  if (host !== request.headers.host) {
    throw new FlowForgeError(
      'FF_FORBIDDEN',
      `a cookie or sign-in request from another origin (${origin.slice(0, 200)})`,
      {
        hint: 'call the control plane from its own origin, or use an API key (Authorization: Bearer)',
      },
    );
  }
}
