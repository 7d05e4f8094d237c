/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../../scripts/test-env/http-test-server.ts';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/**
 * `flowforge runs cancel|pause|resume|retry` through the ./flowforge shim against a real control
 * plane, worker, Temporal and PostgreSQL. Their --json shapes and exit codes are a contract.
 */

let stack: LocalStack;
let server: HttpTestServer;
let scratch: string;

function cli(args: string[]): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, args);
}

async function json(args: string[], expectedCode = 0): Promise<Record<string, unknown>> {
  const result = await cli([...args, '--json']);
  expect(result.code, result.stderr).toBe(expectedCode);
  return JSON.parse(result.stdout);
}

/** Pushes start → n1 (GET path) → n2 (GET second path, optional) and starts a run of it. */
async function startChain(paths: string[]): Promise<string> {
  const name = uniqueName('cli-control');
  const ids = paths.map((_, index) => `n${index + 1}`);
  const nodes = [
    { id: 'start', type: 'trigger.manual' },
    ...paths.map((path, index) => ({ id: ids[index], type: 'http.request', params: { url: `${server.url}${path}` } })),
  ];
  const order = ['start', ...ids];
  const edges = order.slice(1).map((to, index) => ({ from: order[index], to }));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: { schemaVersion: 1, name, nodes, edges },
  });
  const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
    { w: name },
  );
  return startRun.runId;
}

async function statusAfterWait(runId: string): Promise<string> {
  const { run } = await stack.graphql<{ run: { status: string } }>(
    'query ($id: ID!) { run(id: $id, waitSeconds: 30) { status } }',
    { id: runId },
  );
  return run.status;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-control-'));
  [stack, server] = await Promise.all([startTestStack(), startHttpTestServer()]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), server?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge runs pause / resume / cancel / retry', () => {
  it('pause and resume print the run with its paused flag (--json) and exit 0', async () => {
    const gate = uniqueName('gate');
    const runId = await startChain([`/gate/${gate}`, `/${uniqueName('after')}`]);
    await server.arrived(`/gate/${gate}`);

    const paused = await json(['runs', 'pause', runId]);
    expect(Object.keys(paused).sort()).toEqual(['nodes', 'paused', 'runId', 'status', 'workflow']);
    expect(paused).toMatchObject({ runId, status: 'RUNNING', paused: true });
    expect((await cli(['runs', 'show', runId])).stdout).toContain('RUNNING (paused');
    server.release(gate);

    const human = await cli(['runs', 'resume', runId]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`run ${runId} resumed`);
    expect(await statusAfterWait(runId)).toBe('COMPLETED');
    expect(await json(['runs', 'resume', runId], 1)).toMatchObject({ error: { code: 'FF_RUN_STATE' } });
  });

  it('cancel prints the CANCELLED run; cancelling it again fails with FF_RUN_STATE and exit 1', async () => {
    const gate = uniqueName('gate');
    const runId = await startChain([`/gate/${gate}`]);
    await server.arrived(`/gate/${gate}`);

    expect(await json(['runs', 'cancel', runId])).toMatchObject({ runId, status: 'CANCELLED', paused: false });
    const again = await cli(['runs', 'cancel', runId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`FF_RUN_STATE: run ${runId} cannot be cancelled: it has already ended (CANCELLED)`);
    expect(again.stderr).toContain('what to do:');
  });

  it('retry says which nodes it reused: at once without --wait, and with the result with --wait', async () => {
    const [ok, failing] = [`/${uniqueName('ok')}`, `/fail-first/${uniqueName('c')}?times=2`];
    const runId = await startChain([ok, failing]);
    expect(await statusAfterWait(runId)).toBe('FAILED');

    // The first retry fails at n2 again (the server fails twice); the second one completes.
    const first = await json(['runs', 'retry', runId]);
    expect(Object.keys(first).sort()).toEqual(['retryOf', 'reused', 'runId', 'status']);
    expect(first).toMatchObject({ status: 'RUNNING', retryOf: runId, reused: ['start', 'n1'] });
    expect(await statusAfterWait(first.runId as string)).toBe('FAILED');

    const human = await cli(['runs', 'retry', first.runId as string, '--wait']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('COMPLETED');
    expect(human.stdout).toContain(`reused from ${first.runId}: start, n1`);
    expect(human.stdout).toMatch(/n1\s+succeeded\s+reused/);
    expect(server.hits(ok)).toBe(1);
    expect(server.hits(failing.split('?')[0] as string)).toBe(3);

    const waited = await json(['runs', 'retry', runId, '--wait']);
    expect(waited).toMatchObject({ status: 'COMPLETED', retryOf: runId, reused: ['start', 'n1'] });
    expect(waited.nodes).toMatchObject({ n1: { status: 'succeeded', reused: true }, n2: { status: 'succeeded' } });
  });

  it('refuses to retry a run that is still running (exit 1) and names unknown runs (exit 2)', async () => {
    const gate = uniqueName('gate');
    const runId = await startChain([`/gate/${gate}`]);
    await server.arrived(`/gate/${gate}`);
    expect(await json(['runs', 'retry', runId], 1)).toMatchObject({ error: { code: 'FF_RUN_STATE' } });
    server.release(gate);
    expect(await json(['runs', 'pause', 'run-unknown'], 2)).toMatchObject({ error: { code: 'FF_NOT_FOUND' } });
  });
});
