import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { KeyRotation } from '@flowforge/connectors-sdk/contract';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';
import { rewrap } from './envelope.ts';
import { fromEnvironment, installNewKey, retireKeys } from './master-keys.ts';
import { LocalSecretBackend, subjectOf } from './secret-backend.ts';

export interface KeyRotationDeps {
  prisma: PrismaClient;
  credentials: { backend: unknown };
}

const DEFAULT_BATCH = 100;
const MAX_BATCH = 1000;

/**
 * `credentials rotate-key`, step 1: a new master key. With the key file (the default), a new random
 * key is put first in `$FLOWFORGE_HOME/keys/encryption.key`, the old ones kept after it, before any
 * row changes (master-keys.ts writes it atomically). With FLOWFORGE_ENCRYPTION_KEY the operator gives
 * the new key by putting it first there and restarting; this step then only checks that there is
 * something to re-wrap. The key never travels over the API.
 */
export async function rotateEncryptionKey(deps: KeyRotationDeps, actor: string): Promise<KeyRotation> {
  const backend = localBackend(deps);
  const previous = backend.ring.current.id;
  if (backend.ring.source.kind === 'file') {
    backend.ring = installNewKey(backend.ring);
  } else {
    const status = await rotationStatus(deps.prisma, backend);
    if (status.total > 0 && status.remaining === 0) throw fromEnvironment(backend.ring.source.variable);
  }
  await recordAudit(deps.prisma, {
    actor,
    action: 'credential.rotate-key',
    target: `master-key:${backend.ring.current.id}`,
    data: { previous, source: backend.ring.source.kind },
  });
  return { ...(await rotationStatus(deps.prisma, backend)), rewrapped: 0, retiredKeyIds: [] };
}

/**
 * Step 2, called until `remaining` is 0: re-wraps up to `limit` data keys that an older master key
 * wrapped, one row at a time. Each update is a single row and checks the row still has the old
 * wrapping (a credential set meanwhile is already under the new key), and each re-wrapped key is
 * unwrapped again before it is written: so a failure at any point leaves every row readable with
 * the keys in the ring, and running rotate-key again goes on where it stopped. Once nothing uses an
 * old key, it is removed from the key file (from FLOWFORGE_ENCRYPTION_KEY by the operator).
 */
export async function rewrapCredentials(
  deps: KeyRotationDeps,
  limit: number | null | undefined,
  actor: string,
): Promise<KeyRotation> {
  const backend = localBackend(deps);
  const batch = Math.min(Math.max(limit ?? DEFAULT_BATCH, 1), MAX_BATCH);
  const ring = backend.ring;
  const rows = await deps.prisma.credential.findMany({
    where: { backend: 'local', NOT: { keyId: ring.current.id } },
    take: batch,
    orderBy: { id: 'asc' },
  });
  let rewrapped = 0;
  for (const row of rows) {
    if (!row.ciphertext || !row.wrappedKey || !row.keyId) continue;
    const next = rewrap(
      ring,
      { ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrappedKey), keyId: row.keyId },
      subjectOf(row),
    );
    const { count } = await deps.prisma.credential.updateMany({
      where: { id: row.id, keyId: row.keyId, updatedAt: row.updatedAt },
      data: { wrappedKey: new Uint8Array(next.wrappedKey), keyId: next.keyId, updatedAt: row.updatedAt },
    });
    rewrapped += count;
  }
  const status = await rotationStatus(deps.prisma, backend);
  let retiredKeyIds: string[] = [];
  if (status.remaining === 0) {
    const used = await deps.prisma.credential.findMany({
      where: { backend: 'local' },
      distinct: ['keyId'],
      select: { keyId: true },
    });
    const inUse = new Set(used.map((row) => row.keyId));
    retiredKeyIds = [...ring.byId.keys()].filter((id) => id !== ring.current.id && !inUse.has(id));
    backend.ring = retireKeys(backend.ring, retiredKeyIds);
  }
  if (rewrapped > 0 || retiredKeyIds.length > 0) {
    await recordAudit(deps.prisma, {
      actor,
      action: 'credential.rewrap',
      target: `master-key:${ring.current.id}`,
      data: { rewrapped, remaining: status.remaining, retiredKeyIds },
    });
  }
  return { ...status, rewrapped, retiredKeyIds };
}

async function rotationStatus(
  prisma: PrismaClient,
  backend: LocalSecretBackend,
): Promise<Pick<KeyRotation, 'keyId' | 'total' | 'remaining'>> {
  const keyId = backend.ring.current.id;
  const [total, remaining] = await Promise.all([
    prisma.credential.count({ where: { backend: 'local' } }),
    prisma.credential.count({ where: { backend: 'local', NOT: { keyId } } }),
  ]);
  return { keyId, total, remaining };
}

function localBackend(deps: KeyRotationDeps): LocalSecretBackend {
  const backend = deps.credentials.backend;
  if (!(backend instanceof LocalSecretBackend)) {
    throw new FlowForgeError('FF_CONFIG', 'credentials are stored in Vault, which encrypts them with its own keys', {
      hint: "rotate Vault's encryption key there (bao operator rotate / vault operator rotate); FlowForge holds no master key then",
    });
  }
  return backend;
}
