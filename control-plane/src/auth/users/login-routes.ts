import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { PrismaClient } from '../../database.ts';
import { checkCsrf, checkSameOrigin, cookieOf, csrfTokenOf, SESSION_COOKIE, type SessionStore } from '../sessions.ts';
import { LoginThrottle } from './login-throttle.ts';
import { MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';

/** The body of POST /auth/login; zod's messages here never quote the values. */
const LoginBody = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

const WRONG = () =>
  new FlowForgeError('FF_UNAUTHENTICATED', 'the email or the password is wrong', {
    hint: 'check both; after several failures sign-in waits longer between attempts',
  });

/**
 * POST /auth/login (email + password → session cookie), POST /auth/logout, GET /auth/session (who am
 * I, with the CSRF token the UI sends back). Login only takes JSON, which a cross-site form cannot send,
 * and refuses another Origin, so nobody can sign a visitor in to an account of theirs.
 */
export function registerLoginRoutes(app: FastifyInstance, prisma: PrismaClient, sessions: SessionStore): void {
  const throttle = new LoginThrottle(prisma);

  app.post('/auth/login', async (request, reply) => {
    if (request.headers['content-type']?.split(';')[0]?.trim() !== 'application/json') {
      throw new FlowForgeError('FF_BAD_INPUT', 'POST /auth/login takes a JSON body', {
        hint: 'send Content-Type: application/json and { "email", "password" }',
      });
    }
    checkSameOrigin(request);
    const parsed = LoginBody.safeParse(request.body);
    if (!parsed.success) {
      throw new FlowForgeError('FF_BAD_INPUT', 'POST /auth/login needs { "email", "password" } as strings', {
        path: parsed.error.issues[0]?.path.map(String) ?? [],
        hint: 'send both fields',
      });
    }
    const email = parsed.data.email.trim().toLowerCase();
    const keys = { email, ip: request.ip };
    const wait = await throttle.retryAfter(keys);
    if (wait > 0) return refuseForNow(reply, wait);
    const user = await prisma.user.findUnique({ where: { email } });
    // Always one argon2 verification, a dummy one for unknown emails: the time does not tell them apart.
    if (!(await verifyPassword(user?.passwordHash, parsed.data.password)) || !user) {
      await throttle.recordFailure(keys);
      throw WRONG();
    }
    await throttle.recordSuccess(keys);
    await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    const token = await sessions.create(user.id, user.roles, 'password');
    sessions.setCookie(request, reply, token);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      roles: user.roles,
      method: 'password',
      csrfToken: csrfTokenOf(token),
    };
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = cookieOf(request, SESSION_COOKIE);
    if (token) {
      checkCsrf(request, token);
      await sessions.revoke(token);
    }
    sessions.clearCookie(reply);
    return { signedOut: true };
  });

  app.get('/auth/session', async (request) => {
    const { principal, session, token } = await sessions.identify(request);
    return {
      actor: principal.actor,
      user: principal.user,
      roles: principal.roles,
      via: session ? 'session' : 'api-key',
      ...(session && token ? { name: session.user.name, method: session.method, csrfToken: csrfTokenOf(token) } : {}),
    };
  });
}

function refuseForNow(reply: FastifyReply, seconds: number): never {
  reply.header('retry-after', String(seconds));
  throw new FlowForgeError('FF_RATE_LIMITED', `too many failed sign-ins: wait ${seconds} s`, {
    hint: 'wait as Retry-After says, then try again',
  });
}
