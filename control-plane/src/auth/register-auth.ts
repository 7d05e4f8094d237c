import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { PrismaClient } from '../database.ts';
import type { AuthSettings } from './auth-settings.ts';
import { registerOidcRoutes } from './oidc/oidc-routes.ts';
import { DEFAULT_SESSION_SETTINGS, SessionStore } from './sessions.ts';
import { registerLoginRoutes } from './users/login-routes.ts';

/** Cookies, /auth/login|logout|session and, when configured, /auth/oidc/*; the store GraphQL authenticates with. */
export async function registerAuth(
  app: FastifyInstance,
  prisma: PrismaClient,
  settings: AuthSettings = { sessions: DEFAULT_SESSION_SETTINGS, oidc: undefined },
): Promise<SessionStore> {
  // No parsing hook: the auth routes parse the cookie header themselves (sessions.ts, cookieOf).
  await app.register(fastifyCookie, { hook: false });
  const sessions = new SessionStore(prisma, settings.sessions);
  registerLoginRoutes(app, prisma, sessions);
  if (settings.oidc) registerOidcRoutes(app, prisma, sessions, settings.oidc);
  return sessions;
}
