/// <reference path="../test-env/global-setup.ts" />
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shimCalls } from '../../cli/test/support/cli-shim.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type LocalStack, startLocalStack } from '../test-env/local-stack.ts';

/** `flowforge audit list|export` through the ./flowforge shim against a real control plane and PostgreSQL. */
let stack: LocalStack;
let scratch: string;
let databaseUrl: string;
const FIELDS = [
  'action',
  'actor',
  'afterHash',
  'at',
  'beforeHash',
  'data',
  'id',
  'project',
  'requestId',
  'seq',
  'target',
];

const { cli, json } = shimCalls(() => ({ url: stack.url, apiKey: stack.apiKey, home: scratch }));

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-audit-'));
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge audit', () => {
  it('lists events newest first, filtered by action and time, in the documented shape', async () => {
    const names = [uniqueName('audit-a'), uniqueName('audit-b'), uniqueName('audit-c')];
    for (const name of names) {
      const file = join(scratch, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({ schemaVersion: 1, name, nodes: [{ id: 'start', type: 'trigger.manual' }], edges: [] }),
      );
      await json(['workflow', 'push', file]);
    }
    const two = await json(['audit', 'list', '--action', 'workflow.push', '--limit', '2', '--since', '30m']);
    expect(two.map((e: { target: string }) => e.target)).toEqual([`workflow:${names[2]}@1`, `workflow:${names[1]}@1`]);
    expect(Object.keys(two[0]).sort()).toEqual(FIELDS);
    expect(two[0]).toMatchObject({ actor: 'api-key:local-stack', project: 'default', requestId: expect.any(String) });
    expect(two[0].afterHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await json(['audit', 'list', '--since', '2999-01-01T00:00:00Z'])).toEqual([]);
    expect(await json(['audit', 'list', '--project', 'default', '--limit', '1'])).toHaveLength(1);
  }, 180_000);

  it('refuses a --since it cannot read and a project that does not exist (exit 2)', async () => {
    const since = await cli(['audit', 'list', '--since', 'yesterday-ish', '--json']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('FF_BAD_INPUT');
    const project = await cli(['audit', 'list', '--project', 'nope', '--json']);
    expect(project.code).toBe(2);
    expect(project.stderr).toContain('FF_NOT_FOUND');
  }, 180_000);

  it('exports every event as JSON lines, oldest first, across pages, to stdout or --output', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // More than two pages of 500.
      await db.query(`INSERT INTO "AuditEvent" ("id", "actor", "action", "target", "data")
        SELECT gen_random_uuid()::text, 'system', 'test.bulk', 'bulk:' || n, '{}'::jsonb FROM generate_series(1, 1200) AS n`);
      const total = (await db.query('SELECT count(*)::int AS n FROM "AuditEvent"')).rows[0].n as number;
      const file = join(scratch, 'audit.jsonl');
      const written = await cli(['audit', 'export', '--output', file]);
      expect(written.code, written.stderr).toBe(0);
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines).toHaveLength(total);
      const seqs = lines.map((event) => BigInt(event.seq));
      expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as bigint))).toBe(true);
      expect(Object.keys(lines[0]).sort()).toEqual(FIELDS);
      const stdout = await cli(['audit', 'export', '--action', 'test.bulk']);
      expect(stdout.code, stdout.stderr).toBe(0);
      expect(stdout.stdout.trimEnd().split('\n')).toHaveLength(1200);
    } finally {
      await db.end();
    }
  }, 180_000);
});
