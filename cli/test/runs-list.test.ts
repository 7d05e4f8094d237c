/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/** `flowforge runs list` through the ./flowforge shim against a control plane, one worker and Temporal. */

let stack: LocalStack;
let home: string;

const cli = (args: string[]): Promise<CliResult> => runShim({ url: stack.url, apiKey: stack.apiKey, home }, args);

async function json(args: string[]): Promise<Array<Record<string, unknown>>> {
  const result = await cli([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** examples/hello.json under `name` (each test file has a database of its own). */
async function pushHello(name: string): Promise<void> {
  const hello = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'hello.json'), 'utf8'));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: { ...hello, name } });
}

/** Started and waited for over GraphQL: the CLI is what is under test, not `run --wait`. */
async function runToEnd(name: string): Promise<string> {
  const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
    { w: name },
  );
  const { run } = await stack.graphql<{ run: { status: string } }>(
    'query ($id: ID!) { run(id: $id, waitSeconds: 30) { status } }',
    { id: startRun.runId },
  );
  expect(run.status).toBe('COMPLETED');
  return startRun.runId;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'flowforge-cli-runs-'));
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('flowforge runs list', () => {
  it('lists runs newest first with how each started, filters by workflow and limits', async () => {
    const [hello, other] = [uniqueName('list'), uniqueName('list-other')];
    await Promise.all([pushHello(hello), pushHello(other)]);
    const first = await runToEnd(hello);
    const second = await runToEnd(hello);
    const elsewhere = await runToEnd(other);

    const all = await json(['runs', 'list']);
    expect(all.map((run) => run.runId)).toEqual([elsewhere, second, first]);
    expect(all[1]).toEqual({
      runId: second,
      status: 'COMPLETED',
      workflow: { name: hello, version: 1 },
      trigger: { kind: 'manual', by: 'api-key:local-stack' },
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect((await json(['runs', 'list', '--workflow', hello])).map((run) => run.runId)).toEqual([second, first]);
    expect((await json(['runs', 'list', '--workflow', hello, '--limit', '1'])).map((run) => run.runId)).toEqual([
      second,
    ]);

    const table = await cli(['runs', 'list', '--workflow', hello]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STATUS\s+WORKFLOW\s+TRIGGER\s+STARTED\s+FINISHED$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([second, first]);
    expect(lines[1]).toContain(`COMPLETED  ${hello} v1  manual by api-key:local-stack`);
  });

  it('says how to start one when a workflow has no runs', async () => {
    const result = await cli(['runs', 'list', '--workflow', 'never-run']);
    expect(result).toMatchObject({ code: 0, stdout: 'no runs of workflow "never-run" yet: flowforge run never-run\n' });
    expect(await json(['runs', 'list', '--workflow', 'never-run'])).toEqual([]);
  });

  it('exits 2 for a limit out of range and for a name no workflow can have', async () => {
    const limit = await cli(['runs', 'list', '--limit', '101']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('FF_BAD_INPUT: --limit');
    const name = await cli(['runs', 'list', '--workflow', 'Not A Name', '--json']);
    expect(name.code).toBe(2);
    expect(JSON.parse(name.stdout)).toMatchObject({ error: { code: 'FF_BAD_INPUT', message: /^workflow: / } });
  });
});
