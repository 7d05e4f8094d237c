/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../control-plane/src/auth/api-keys.ts';
import { createPrisma, type PrismaClient } from '../../control-plane/src/database.ts';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startLocalStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/**
 * `flowforge approvals list`, `approve`, `reject` and the waiting node in `runs show`, through the
 * ./flowforge shim against a control plane + worker on real Temporal and PostgreSQL.
 */

let stack: LocalStack;
let prisma: PrismaClient;
let scratch: string;
/** A key whose user holds only the "sales" role: it may not decide the approvals below. */
let salesKey: string;

function cli(args: string[], apiKey = stack.apiKey): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey, home: scratch }, args);
}

/** Pushes and starts start → gate (core.approval, role finance, a required number field) → ok / no. */
async function startWaitingRun(): Promise<string> {
  const name = uniqueName('cli-approval');
  const file = join(scratch, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        {
          id: 'gate',
          type: 'core.approval',
          params: { message: 'Pay it?', roles: ['finance'], fields: { amount: { type: 'number', required: true } } },
        },
        { id: 'ok', type: 'core.set', params: { values: { paid: true } } },
        { id: 'no', type: 'core.set', params: { values: { paid: false } } },
      ],
      edges: [
        { from: 'start', to: 'gate' },
        { from: 'gate', fromPort: 'approved', to: 'ok' },
        { from: 'gate', fromPort: 'rejected', to: 'no' },
      ],
    }),
  );
  const started = await cli(['run', '--file', file, '--json']);
  expect(started.code, started.stderr).toBe(0);
  const { runId } = JSON.parse(started.stdout) as { runId: string };
  // Waits until the gate is waiting (the run moves on its own time).
  for (let tries = 0; tries < 150; tries++) {
    const shown = JSON.parse((await cli(['runs', 'show', runId, '--json'])).stdout);
    if (shown.nodes.gate?.status === 'waiting') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return runId;
}

async function waitForEnd(runId: string) {
  for (let tries = 0; tries < 150; tries++) {
    const shown = JSON.parse((await cli(['runs', 'show', runId, '--json'])).stdout);
    if (shown.status !== 'RUNNING') return shown;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not end`);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-approvals-'));
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
  prisma = createPrisma(databaseUrl);
  salesKey = (await createApiKey(prisma, 'sales', { user: 'sam', roles: ['sales'] })).key;
});
afterAll(async () => {
  await prisma?.$disconnect();
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge approvals list / approve / reject', () => {
  it('runs show prints the waiting approval; approvals list shows it; approve with fields completes the run', async () => {
    const runId = await startWaitingRun();
    const shown = await cli(['runs', 'show', runId]);
    expect(shown.stdout).toMatch(/gate\s+waiting/);
    expect(shown.stdout).toMatch(/waiting for approval by role finance since \S+: "Pay it\?"/);
    const shownJson = JSON.parse((await cli(['runs', 'show', runId, '--json'])).stdout);
    expect(shownJson.nodes.gate).toMatchObject({
      status: 'waiting',
      waiting: { for: 'approval', roles: ['finance'], since: expect.any(String) },
    });

    let listed: Array<{ runId: string; nodeId: string; fields: unknown }> = [];
    for (let tries = 0; tries < 100 && !listed.some((a) => a.runId === runId); tries++) {
      listed = JSON.parse((await cli(['approvals', 'list', '--json'])).stdout);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed.find((a) => a.runId === runId)).toMatchObject({
      nodeId: 'gate',
      fields: { amount: { type: 'number', required: true } },
    });
    const readable = await cli(['approvals', 'list']);
    expect(readable.stdout).toContain(`${runId}  `);
    expect(readable.stdout).toContain('fields: amount (number, required)');
    expect(JSON.parse((await cli(['approvals', 'list', '--json'], salesKey)).stdout)).toEqual([]);

    const approved = await cli(['approve', runId, '--comment', 'ok', '--field', 'amount=120', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout).runId).toBe(runId);
    const run = await waitForEnd(runId);
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.ok.output.main[0].json).toMatchObject({
      decision: 'approve',
      by: 'admin',
      comment: 'ok',
      fields: { amount: 120 },
      paid: true,
    });
  });

  it('a refused decision exits 1 with the code and leaves the run waiting; reject then routes to "rejected"', async () => {
    const runId = await startWaitingRun();
    const forbidden = await cli(['reject', runId], salesKey);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('FF_FORBIDDEN: user "sam" may not decide approval "gate"');
    const invalid = await cli(['approve', runId, '--field', 'amount=lots']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('FF_APPROVAL_INVALID');
    expect(invalid.stderr).toContain('"amount" must be a number');
    const badFlag = await cli(['approve', runId, '--field', 'amount']);
    expect(badFlag.code).toBe(2);
    expect(JSON.parse((await cli(['runs', 'show', runId, '--json'])).stdout).nodes.gate.status).toBe('waiting');

    const rejected = await cli(['reject', runId, '--node', 'gate', '--comment', 'too much']);
    expect(rejected.code, rejected.stderr).toBe(0);
    const run = await waitForEnd(runId);
    expect(run.nodes.ok.status).toBe('skipped');
    expect(run.nodes.no.output.main[0].json).toMatchObject({ decision: 'reject', comment: 'too much', paid: false });
  });
});
