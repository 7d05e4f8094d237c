import { timingSafeEqual } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyInstance } from 'fastify';
import * as client from 'openid-client';
import type { PrismaClient } from '../../database.ts';
import { cookieOf, type SessionStore, sha256 } from '../sessions.ts';
import { type OidcSettings, rolesOfGroups } from './oidc-settings.ts';
import { userForIdentity } from './oidc-users.ts';

/** Binds the callback to the browser that started the sign-in (login CSRF): it must send the state back. */
const STATE_COOKIE = 'ff_oidc_state';
const FLOW_SECONDS = 600;

/**
 * OIDC sign-in, authorization code + PKCE (S256) with openid-client: GET /auth/oidc/login redirects
 * to the provider, GET /auth/oidc/callback exchanges the code, validates the ID token (signature,
 * issuer, audience, nonce), finds or creates the user, maps the groups claim to roles, sets the
 * session cookie and redirects to `/`. State, nonce and verifier are kept server-side (OidcLoginFlow,
 * one use, 10 min), so a replayed or tampered callback finds nothing.
 */
export function registerOidcRoutes(
  app: FastifyInstance,
  prisma: PrismaClient,
  sessions: SessionStore,
  settings: OidcSettings,
): void {
  let discovered: Promise<client.Configuration> | undefined;
  // Discovery on first use (the provider may start after the control plane), again after a failure.
  const configuration = () => {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret === undefined ? client.None() : undefined,
        settings.issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((cause: unknown) => {
        discovered = undefined;
        throw new FlowForgeError('FF_UNAVAILABLE', `OIDC discovery at ${settings.issuer} failed: ${reasonOf(cause)}`, {
          hint: 'check FLOWFORGE_OIDC_ISSUER and that the provider is reachable',
        });
      });
    return discovered;
  };

  app.get('/auth/oidc/login', async (request, reply) => {
    const config = await configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    await prisma.oidcLoginFlow.create({
      data: { stateHash: sha256(state), nonce, codeVerifier, expiresAt: new Date(Date.now() + FLOW_SECONDS * 1000) },
    });
    void prisma.oidcLoginFlow.deleteMany({ where: { expiresAt: { lt: new Date() } } }).catch(() => undefined);
    reply.setCookie(STATE_COOKIE, state, {
      httpOnly: true,
      secure: sessions.settings.secureCookies ?? request.protocol === 'https',
      sameSite: 'lax',
      path: '/auth/oidc',
      maxAge: FLOW_SECONDS,
    });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return reply.redirect(url.href, 302);
  });

  // Its URL carries the authorization code: Fastify's per-request info lines (which print the URL) stay off here.
  app.get('/auth/oidc/callback', { logLevel: 'warn' }, async (request, reply) => {
    const config = await configuration();
    const query = new URL(request.url, 'http://callback').searchParams;
    const state = query.get('state') ?? '';
    const cookieState = cookieOf(request, STATE_COOKIE) ?? '';
    reply.clearCookie(STATE_COOKIE, { path: '/auth/oidc' });
    if (
      !state ||
      state.length !== cookieState.length ||
      !timingSafeEqual(Buffer.from(state), Buffer.from(cookieState))
    ) {
      throw refused('the state does not match the sign-in this browser started');
    }
    // Deleting is the check: a second callback with the same state (a replay) finds no flow.
    const flow = await prisma.oidcLoginFlow.delete({ where: { stateHash: sha256(state) } }).catch((error: unknown) => {
      // P2025: no such row. Anything else (the database is down) is not the caller's fault.
      if ((error as { code?: unknown }).code === 'P2025') return undefined;
      throw error;
    });
    if (!flow || flow.expiresAt.getTime() < Date.now()) throw refused('the sign-in expired or was used already');
    const currentUrl = new URL(settings.redirectUrl);
    currentUrl.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      throw refused(`the provider did not accept the sign-in (${reasonOf(cause)})`);
    }
    const claims = tokens.claims();
    if (!claims) throw refused('the provider sent no ID token');
    // Providers put scope claims in the ID token (Keycloak's mappers) or only at userinfo (oidc-provider).
    const needsUserinfo = claims[settings.groupsClaim] === undefined || claims.email === undefined;
    const info = needsUserinfo
      ? await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch((cause: unknown) => {
          throw refused(`the provider's userinfo failed (${reasonOf(cause)})`);
        })
      : {};
    const merged: Record<string, unknown> = { ...info, ...claims };
    const user = await userForIdentity(prisma, {
      issuer: claims.iss,
      subject: claims.sub,
      email: merged.email,
      emailVerified: merged.email_verified,
      name: merged.name,
    });
    const roles = [...user.roles, ...rolesOfGroups(merged[settings.groupsClaim], settings.groupRoles)];
    const token = await sessions.create(user.id, roles, 'oidc');
    sessions.setCookie(request, reply, token);
    return reply.redirect('/', 302);
  });
}

function refused(why: string): FlowForgeError {
  return new FlowForgeError('FF_UNAUTHENTICATED', `OIDC sign-in refused: ${why}`, {
    hint: 'start again at GET /auth/oidc/login',
  });
}

/** The OAuth error code or the library's error code: never a token, a code or the client secret. */
function reasonOf(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return 'unknown error';
  const { error, code } = cause as { error?: unknown; code?: unknown };
  if (typeof error === 'string' && /^[\w.-]{1,64}$/.test(error)) return error;
  if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
  return cause instanceof Error ? cause.name : 'unknown error';
}
