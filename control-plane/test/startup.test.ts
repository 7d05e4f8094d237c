import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { createTestDatabase } from '../../scripts/test-env/index.ts';
import { buildApp } from '../src/app.ts';
import { findApiKey } from '../src/auth/api-keys.ts';
import { ensureLocalAdminKey } from '../src/auth/cli-config.ts';
import { readConfig } from '../src/config.ts';
import { createPrisma } from '../src/database.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('first and second start', () => {
  const started: TestControlPlane[] = [];
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase(inject('postgresUrl'));
  });
  afterAll(async () => {
    for (const cp of started) await cp.close();
  });

  it('creates the run signing key pair (private key 0600) and reuses it on the next start', async () => {
    const cp = await startTestControlPlane({ databaseUrl });
    started.push(cp);
    const keyFile = join(cp.home, 'keys', 'run-signing.key');
    const pubFile = join(cp.home, 'keys', 'run-signing.pub');
    expect(mode(keyFile)).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    const pub = readFileSync(pubFile, 'utf8');
    expect(pub).toContain('BEGIN PUBLIC KEY');

    const again = await buildApp(cp.options);
    await again.close();
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(readFileSync(pubFile, 'utf8')).toBe(pub);
  });

  it('writes the public key of a private key given in the environment', async () => {
    const { generateSigningKeys } = await import('@flowforge/connectors-sdk/run-request');
    const pair = generateSigningKeys();
    const cp = await startTestControlPlane({ databaseUrl, runSigningPrivateKeyPem: pair.privateKeyPem });
    started.push(cp);
    expect(readFileSync(join(cp.home, 'keys', 'run-signing.pub'), 'utf8')).toBe(pair.publicKeyPem);
  });

  it('writes cli-config.json (0600) with a working admin key once, and replaces a key this database does not know', async () => {
    const cp = await startTestControlPlane({ databaseUrl });
    started.push(cp);
    const prisma = cp.app.flowforge.services.prisma;
    const file = join(cp.home, 'cli-config.json');
    const first = await ensureLocalAdminKey(prisma, { home: cp.home, url: 'http://127.0.0.1:4000' });
    expect(first.created).toBe(true);
    expect(mode(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: 'http://127.0.0.1:4000', apiKey: first.apiKey });
    expect(await findApiKey(prisma, first.apiKey)).toMatchObject({ name: 'local-admin' });

    const second = await ensureLocalAdminKey(prisma, { home: cp.home, url: 'http://127.0.0.1:4001' });
    expect(second).toEqual({ apiKey: first.apiKey, created: false });
    expect(JSON.parse(readFileSync(file, 'utf8')).url).toBe('http://127.0.0.1:4001');

    writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:4001', apiKey: 'ffk_from-another-database' }));
    const third = await ensureLocalAdminKey(prisma, { home: cp.home, url: 'http://127.0.0.1:4001' });
    expect(third.created).toBe(true);
    expect(third.apiKey).not.toBe(first.apiKey);
  });

  it('GET /readyz answers 200 when PostgreSQL and Temporal answer', async () => {
    const cp = await startTestControlPlane({ databaseUrl });
    started.push(cp);
    const response = await cp.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('GET /readyz answers 503 naming Temporal when Temporal is down; /healthz (liveness) still 200', async () => {
    const cp = await startTestControlPlane({ databaseUrl, temporalAddress: `127.0.0.1:${await freePort()}` });
    started.push(cp);
    expect((await cp.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const response = await cp.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ ok: false, down: { temporal: expect.any(String) } });
    expect(Object.keys(response.json().down)).toEqual(['temporal']);
  });
});

describe('start-up failures', () => {
  it('refuses to start without PostgreSQL, naming it and without the password', async () => {
    const url = `postgresql://postgres:s3cret-pw@127.0.0.1:${await freePort()}/flowforge`;
    const home = mkdtempSync(join(tmpdir(), 'flowforge-cp-'));
    try {
      const error = await buildApp({ databaseUrl: url, temporalAddress: inject('temporalAddress'), home }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'FF_UNAVAILABLE',
        message: expect.stringContaining('PostgreSQL at 127.0.0.1'),
      });
      expect(String((error as Error).message)).not.toContain('s3cret-pw');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('losing the database', () => {
  it('answers FF_UNAVAILABLE (503) when PostgreSQL stops answering, not an internal error', async () => {
    const cp = await startTestControlPlane();
    try {
      const name = new URL(cp.databaseUrl).pathname.slice(1);
      const admin = createPrisma(inject('postgresUrl'));
      await admin.$executeRawUnsafe(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.$disconnect();
      const { status, body } = await cp.graphql('{ workflows { name } }');
      expect(status).toBe(503);
      expect(body.errors?.[0]?.extensions.code).toBe('FF_UNAVAILABLE');
    } finally {
      await cp.close();
    }
  });
});

describe('configuration', () => {
  const base = { FLOWFORGE_DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db' };

  it('fills laptop defaults', () => {
    expect(readConfig(base, '/repo')).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      temporalAddress: '127.0.0.1:7233',
      home: '/repo/.flowforge',
      taskQueue: 'flowforge',
      logLevel: 'warn',
      metricsToken: undefined,
    });
  });

  it('reads the log level and the /metrics token, and refuses a level pino does not know or a short token', () => {
    const config = readConfig(
      { ...base, FLOWFORGE_LOG_LEVEL: 'debug', FLOWFORGE_METRICS_TOKEN: 'm'.repeat(16) },
      '/repo',
    );
    expect(config).toMatchObject({ logLevel: 'debug', metricsToken: 'm'.repeat(16) });
    expect(() => readConfig({ ...base, FLOWFORGE_LOG_LEVEL: 'loud' }, '/repo')).toThrow(
      /FLOWFORGE_LOG_LEVEL is invalid \(must be trace, debug, info, warn or error\)/,
    );
    expect(() => readConfig({ ...base, FLOWFORGE_METRICS_TOKEN: 'short' }, '/repo')).toThrow(
      /FLOWFORGE_METRICS_TOKEN is invalid \(must be at least 16 characters\)/,
    );
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => readConfig({}, '/repo')).toThrow(/FLOWFORGE_DATABASE_URL is not set/);
    expect(() => readConfig({ ...base, FLOWFORGE_PORT: 'eighty' }, '/repo')).toThrow(/FLOWFORGE_PORT is invalid/);
    expect(() => readConfig({ ...base, FLOWFORGE_TEMPORAL_ADDRESS: 'nowhere' }, '/repo')).toThrow(
      /FLOWFORGE_TEMPORAL_ADDRESS/,
    );
  });
});
