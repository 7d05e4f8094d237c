import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { PrismaClient } from '../../database.ts';
import { normalizeEmail } from '../users/user-service.ts';

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: unknown;
  emailVerified: unknown;
  name: unknown;
}

/**
 * The user an OIDC identity signs in as: the one linked to issuer + subject; else the local user with
 * that email, linked now if the provider says the email is verified (an unverified email could be
 * anyone's); else a new user.
 */
export async function userForIdentity(prisma: PrismaClient, identity: OidcIdentity) {
  const now = new Date();
  const linked = await prisma.user.findUnique({
    where: { oidcIssuer_oidcSubject: { oidcIssuer: identity.issuer, oidcSubject: identity.subject } },
  });
  if (linked) return prisma.user.update({ where: { id: linked.id }, data: { lastLoginAt: now } });
  if (typeof identity.email !== 'string') {
    throw new FlowForgeError('FF_UNAUTHENTICATED', 'the OIDC provider sent no email for this user', {
      hint: 'request the email scope (FLOWFORGE_OIDC_SCOPES) and give the user an email at the provider',
    });
  }
  const email = normalizeEmail(identity.email);
  const name = typeof identity.name === 'string' ? identity.name : null;
  const local = await prisma.user.findUnique({ where: { email } });
  if (!local) {
    return prisma.user.create({
      data: { email, name, oidcIssuer: identity.issuer, oidcSubject: identity.subject, lastLoginAt: now },
    });
  }
  if (local.oidcSubject !== null || identity.emailVerified !== true) {
    throw new FlowForgeError('FF_FORBIDDEN', `user ${email} exists already and is not linked to this OIDC account`, {
      hint:
        local.oidcSubject !== null
          ? 'another OIDC account is linked to that user'
          : 'the provider must mark the email verified (email_verified) before it is linked to a local user',
    });
  }
  return prisma.user.update({
    where: { id: local.id },
    data: { oidcIssuer: identity.issuer, oidcSubject: identity.subject, lastLoginAt: now, name: local.name ?? name },
  });
}
