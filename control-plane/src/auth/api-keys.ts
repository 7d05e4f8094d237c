import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { databaseUnavailable, isDatabaseUnreachable, type PrismaClient } from '../database.ts';

/** Keys look like `ffk_<43 base64url chars>`; only their sha256 is stored, the prefix shows in listings. */
const KEY_PREFIX = 'ffk_';

export interface Principal {
  /** The key's id; empty for a UI session (see auth/sessions.ts). */
  apiKeyId: string;
  /** Set for a UI session (a user signed in with a password or OIDC). */
  sessionId?: string;
  name: string;
  /** How the audit log and run triggers name this caller. */
  actor: string;
  /** The user the key acts for: who approvals name as the decider (the key's name when none was set). */
  user: string;
  /** Roles for approvals; `admin` may decide any approval. */
  roles: string[];
}

export interface ApiKeyOptions {
  user?: string | undefined;
  roles?: readonly string[] | undefined;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns it: the only time the key itself exists outside the caller. */
export async function createApiKey(
  prisma: PrismaClient,
  name: string,
  options: ApiKeyOptions = {},
): Promise<{ key: string; id: string }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await prisma.apiKey.create({
    data: {
      name,
      hash: hashApiKey(key),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      ...(options.user !== undefined ? { user: options.user } : {}),
      roles: [...(options.roles ?? [])],
    },
  });
  return { key, id: record.id };
}

/** Resolves an API key to its principal, or undefined when it is unknown. */
export async function findApiKey(prisma: PrismaClient, key: string): Promise<Principal | undefined> {
  if (!key.startsWith(KEY_PREFIX)) return undefined;
  const hash = hashApiKey(key);
  const record = await prisma.apiKey.findUnique({ where: { hash } });
  // The lookup is by hash already; the constant-time compare guards against index timing tricks.
  if (!record || !timingSafeEqual(Buffer.from(record.hash), Buffer.from(hash))) return undefined;
  return {
    apiKeyId: record.id,
    name: record.name,
    actor: `api-key:${record.name}`,
    user: record.user ?? record.name,
    roles: record.roles,
  };
}

/** `Authorization: Bearer <key>` → principal; throws FF_UNAUTHENTICATED without saying which part failed. */
export async function authenticate(prisma: PrismaClient, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  let principal: Principal | undefined;
  try {
    principal = match?.[1] ? await findApiKey(prisma, match[1]) : undefined;
  } catch (error) {
    throw isDatabaseUnreachable(error) ? databaseUnavailable(error) : error;
  }
  if (!principal) {
    throw new FlowForgeError(
      'FF_UNAUTHENTICATED',
      match ? 'the API key is not valid for this control plane' : 'no API key: send "Authorization: Bearer <key>"',
      {
        hint: 'the local stack writes a key to $FLOWFORGE_HOME/cli-config.json; or set FLOWFORGE_API_KEY',
      },
    );
  }
  // Best effort: a failed timestamp update must not fail the request.
  void prisma.apiKey
    .update({ where: { id: principal.apiKeyId }, data: { lastUsedAt: new Date() } })
    .catch(() => undefined);
  return principal;
}
