import { FlowForgeError } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import type { PrismaClient } from '../../database.ts';
import { hashPassword } from './passwords.ts';

/** What listings and the CLI show of a user: never the password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  /** `password`, `oidc`, or both: how this user can sign in. */
  signIn: string[];
  createdAt: string;
  lastLoginAt: string | null;
}

const EmailSchema = z.email({ error: 'must be an email address' }).max(320);

/** Emails are compared lower-cased: `Ada@Example.org` and `ada@example.org` are one account. */
export function normalizeEmail(email: string): string {
  const parsed = EmailSchema.safeParse(email.trim().toLowerCase());
  if (!parsed.success) {
    throw new FlowForgeError('FF_BAD_INPUT', `"${email.slice(0, 80)}" is not an email address`, {
      path: ['email'],
      hint: 'users are named by their email, like ada@example.org',
    });
  }
  return parsed.data;
}

export async function createUser(
  prisma: PrismaClient,
  input: { email: string; name?: string | null | undefined; password?: string | null | undefined },
): Promise<UserSummary> {
  const email = normalizeEmail(input.email);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) {
    throw new FlowForgeError('FF_CONFLICT', `a user with email ${email} exists already`, {
      path: ['email'],
      hint: 'flowforge users list shows the users',
    });
  }
  const user = await prisma.user.create({ data: { email, name: input.name ?? null, passwordHash } });
  return summaryOf(user);
}

export async function listUsers(prisma: PrismaClient): Promise<UserSummary[]> {
  const users = await prisma.user.findMany({ orderBy: { email: 'asc' } });
  return users.map(summaryOf);
}

export function summaryOf(user: {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  passwordHash: string | null;
  oidcSubject: string | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    signIn: [...(user.passwordHash ? ['password'] : []), ...(user.oidcSubject ? ['oidc'] : [])],
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
