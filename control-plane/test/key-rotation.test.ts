import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { buildApp } from '../src/app.ts';
import { keyIdOf } from '../src/credentials/master-keys.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/** `credentials rotate-key` as the CLI drives it: rotateEncryptionKey, then rewrapCredentials until nothing remains. */

const SET = `mutation ($name: String!, $value: JSON!) {
  setCredential(name: $name, type: "httpBearerAuth", value: $value) { created }
}`;
const ROTATE = 'mutation { rotateEncryptionKey { keyId total remaining rewrapped retiredKeyIds } }';
const REWRAP =
  'mutation ($limit: Int) { rewrapCredentials(limit: $limit) { keyId total remaining rewrapped retiredKeyIds } }';

const started: TestControlPlane[] = [];
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
});
afterAll(async () => {
  for (const cp of started) await cp.close();
});

async function controlPlane(encryptionKey?: string, shared?: TestControlPlane): Promise<TestControlPlane> {
  const cp = await startTestControlPlane({
    databaseUrl: shared?.databaseUrl ?? (await createTestDatabase(inject('postgresUrl'))),
    ...(shared ? { home: shared.home } : {}),
    ...(encryptionKey ? { secrets: { backend: 'local' as const, encryptionKey } } : {}),
  });
  started.push(cp);
  return cp;
}

async function seed(cp: TestControlPlane, count: number): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const name = uniqueName('rotated');
    const token = `tok-${randomUUID()}`;
    values.set(name, token);
    expect((await cp.graphql(SET, { name, value: { token } })).body.errors).toBeUndefined();
  }
  return values;
}

/** Every value decrypts with the key ring this control plane has now. */
async function readable(cp: TestControlPlane, values: Map<string, string>): Promise<void> {
  const { prisma, credentials } = cp.app.flowforge.services;
  for (const [name, token] of values) {
    const row = await prisma.credential.findFirstOrThrow({ where: { name } });
    expect(await credentials.backend.load(row)).toEqual({ token });
  }
}

const keyLines = (cp: TestControlPlane) =>
  readFileSync(join(cp.home, 'keys', 'encryption.key'), 'utf8')
    .trim()
    .split('\n');

describe('rotate-key with the key file', () => {
  it('puts a new key first, re-wraps in batches, stays readable half-way, then retires the old key', async () => {
    const cp = await controlPlane();
    const values = await seed(cp, 3);
    const oldKeyId = keyIdOf(Buffer.from(keyLines(cp)[0] as string, 'base64'));
    const rotation = (await cp.graphql(ROTATE)).body.data.rotateEncryptionKey;
    expect(rotation).toMatchObject({ total: 3, remaining: 3, rewrapped: 0 });
    expect(rotation.keyId).not.toBe(oldKeyId);
    expect(keyLines(cp)).toHaveLength(2);

    const first = (await cp.graphql(REWRAP, { limit: 2 })).body.data.rewrapCredentials;
    expect(first).toMatchObject({ keyId: rotation.keyId, rewrapped: 2, remaining: 1, retiredKeyIds: [] });
    // Half-way (as if it died here): a control plane started now on the same home reads every credential.
    const halfway = await buildApp(cp.options);
    try {
      for (const [name, token] of values) {
        const row = await halfway.flowforge.services.prisma.credential.findFirstOrThrow({ where: { name } });
        expect(await halfway.flowforge.services.credentials.backend.load(row)).toEqual({ token });
      }
    } finally {
      await halfway.close();
    }

    const last = (await cp.graphql(REWRAP, { limit: 2 })).body.data.rewrapCredentials;
    expect(last).toMatchObject({ rewrapped: 1, remaining: 0, retiredKeyIds: [oldKeyId] });
    expect(keyLines(cp)).toHaveLength(1);
    expect(keyIdOf(Buffer.from(keyLines(cp)[0] as string, 'base64'))).toBe(rotation.keyId);
    await readable(cp, values);
    const rows = await cp.app.flowforge.services.prisma.credential.findMany();
    expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set([rotation.keyId]));
    const audit = await cp.app.flowforge.services.prisma.auditEvent.findMany({
      where: { action: { in: ['credential.rotate-key', 'credential.rewrap'] } },
    });
    expect(audit.map((e) => e.action).sort()).toEqual([
      'credential.rewrap',
      'credential.rewrap',
      'credential.rotate-key',
    ]);
  });
});

describe('rotate-key with FLOWFORGE_ENCRYPTION_KEY', () => {
  it('the operator gives the new key first in the variable; rotate-key re-wraps under it and names the old one as unused', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const cp = await controlPlane(oldKey);
    const values = await seed(cp, 2);
    const nothing = (await cp.graphql(ROTATE)).body.errors?.[0];
    expect(nothing?.extensions.code).toBe('FF_CONFIG');
    expect(nothing?.extensions.hint).toMatch(/put it first in FLOWFORGE_ENCRYPTION_KEY/);

    // Only the new key: the rows wrapped by the old one are unreadable, and the error says which key is missing.
    const withoutOld = await controlPlane(newKey, cp);
    const row = await withoutOld.app.flowforge.services.prisma.credential.findFirstOrThrow({
      where: { name: [...values.keys()][0] },
    });
    await expect(withoutOld.app.flowforge.services.credentials.backend.load(row)).rejects.toMatchObject({
      code: 'FF_CONFIG',
      message: expect.stringContaining(keyIdOf(Buffer.from(oldKey, 'base64'))),
    });

    const rotated = await controlPlane(`${newKey},${oldKey}`, cp);
    expect((await rotated.graphql(ROTATE)).body.data.rotateEncryptionKey).toMatchObject({ remaining: 2 });
    const done = (await rotated.graphql(REWRAP, {})).body.data.rewrapCredentials;
    expect(done).toMatchObject({ remaining: 0, rewrapped: 2, retiredKeyIds: [keyIdOf(Buffer.from(oldKey, 'base64'))] });
    await readable(await controlPlane(newKey, cp), values);
  });

  it('a key that is not 32 bytes of base64 stops the start, without showing the key', async () => {
    const bad = 'not-a-real-key-but-secret-looking';
    const failure = buildApp({
      databaseUrl,
      temporalAddress: inject('temporalAddress'),
      home: join('/tmp', uniqueName('bad-key')),
      secrets: { backend: 'local', encryptionKey: bad },
    });
    await expect(failure).rejects.toMatchObject({
      code: 'FF_CONFIG',
      message: 'FLOWFORGE_ENCRYPTION_KEY: key 1 is not 32 bytes of base64 (or 64 hex digits)',
    });
  });
});
