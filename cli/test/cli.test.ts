/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/**
 * The CLI as users run it: the ./flowforge shim as a child process, against a control plane on a
 * test database and real Temporal with one worker. Output shapes and exit codes are a contract.
 */

const root = join(import.meta.dirname, '..', '..');
const SHA256 = /^sha256:[0-9a-f]{64}$/;

let stack: LocalStack;
let scratch: string;

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  // Any working directory works; relative paths are relative to it.
  return runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, args, { env });
}

function workflowFile(name: string, greeting: string): string {
  const file = join(scratch, `${name}-${greeting.length}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'greet', type: 'core.set', params: { values: { greeting } } },
      ],
      edges: [{ from: 'start', to: 'greet' }],
    }),
  );
  return file;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-'));
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge workflow push / list', () => {
  it('pushes v1, keeps the version for identical content and makes v2 for a change', async () => {
    const name = uniqueName('greet');
    const v1 = await cli(['workflow', 'push', workflowFile(name, '=Hello'), '--json']);
    expect(v1.code).toBe(0);
    const first = JSON.parse(v1.stdout);
    expect(first).toEqual({ workflow: name, version: 1, hash: expect.stringMatching(SHA256) });

    const same = await cli(['workflow', 'push', workflowFile(name, '=Hello'), '--json']);
    expect(JSON.parse(same.stdout)).toEqual(first);

    const v2 = await cli(['workflow', 'push', workflowFile(name, '=Hello again'), '--json']);
    expect(v2.code).toBe(0);
    const second = JSON.parse(v2.stdout);
    expect(second).toEqual({ workflow: name, version: 2, hash: expect.stringMatching(SHA256) });
    expect(second.hash).not.toBe(first.hash);

    const list = await cli(['workflow', 'list', '--json']);
    expect(list.code).toBe(0);
    const entry = JSON.parse(list.stdout).find((w: { name: string }) => w.name === name);
    expect(entry).toEqual({
      name,
      latestVersion: 2,
      activeVersion: null,
      versions: [
        { version: 2, hash: second.hash, createdAt: expect.any(String) },
        { version: 1, hash: first.hash, createdAt: expect.any(String) },
      ],
    });
  });

  it('resolves a relative file against the working directory, from any directory', async () => {
    const name = uniqueName('relative');
    const file = workflowFile(name, '=Hi');
    const pushed = await cli(['workflow', 'push', file.slice(scratch.length + 1), '--json']);
    expect(pushed.code).toBe(0);
    expect(JSON.parse(pushed.stdout).workflow).toBe(name);
  });

  it('refuses a file with an expression that does not parse: FF_EXPRESSION, exit 2, naming node, parameter and expression', async () => {
    const file = join(scratch, 'bad-expression.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'bad-expression',
        nodes: [
          { id: 'start', type: 'trigger.manual' },
          { id: 'sum', type: 'core.set', params: { values: { total: '={{ $json.a + }}' } } },
        ],
        edges: [{ from: 'start', to: 'sum' }],
      }),
    );
    const result = await cli(['workflow', 'push', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^FF_EXPRESSION: /);
    expect(result.stderr).toMatch(
      /FF_EXPRESSION\s+nodes\[1\]\.params\.values\.total\s+node "sum", parameter values\.total: .*"=\{\{ \$json\.a \+ \}\}"/,
    );
    const json = await cli(['workflow', 'push', file, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'FF_EXPRESSION',
      issues: [{ code: 'FF_EXPRESSION', path: ['nodes', 1, 'params', 'values', 'total'] }],
    });
  });

  it('rejects an invalid workflow file with exit 2 and prints every issue with its code and path', async () => {
    const file = join(scratch, 'invalid.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'invalid',
        nodes: [
          { id: 'start', type: 'trigger.manual' },
          { id: 'x', type: 'core.nope' },
        ],
        edges: [{ from: 'start', to: 'ghost' }],
      }),
    );
    const result = await cli(['workflow', 'push', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FF_VALIDATION');
    expect(result.stderr).toMatch(/FF_UNKNOWN_NODE_TYPE\s+nodes\[1\]\.type/);
    expect(result.stderr).toMatch(/FF_EDGE_UNKNOWN_NODE\s+edges\[0\]\.to/);

    const json = await cli(['workflow', 'push', file, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'FF_VALIDATION',
      issues: [
        { code: 'FF_UNKNOWN_NODE_TYPE', path: ['nodes', 1, 'type'] },
        { code: 'FF_EDGE_UNKNOWN_NODE', path: ['edges', 0, 'to'] },
      ],
    });
  });

  it('rejects a file that is not JSON with exit 2, naming the file', async () => {
    const file = join(scratch, 'not-json.json');
    writeFileSync(file, '{ "schemaVersion": 1,');
    const result = await cli(['workflow', 'push', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FF_BAD_INPUT');
    expect(result.stderr).toContain('not-json.json');
  });
});

describe('flowforge run / runs show', () => {
  it('prints { runId, status: RUNNING } at once without --wait, and runs show gives the run in the --wait shape', async () => {
    const name = uniqueName('started');
    await cli(['workflow', 'push', workflowFile(name, '=Hello'), '--json']);
    const started = await cli(['run', name, '--input', '{"name":"Ada"}', '--json']);
    expect(started.code).toBe(0);
    const run = JSON.parse(started.stdout);
    expect(run).toEqual({ runId: expect.stringMatching(/^run-/), status: 'RUNNING' });

    const shown = await cli(['runs', 'show', run.runId, '--json']);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout);
    expect(Object.keys(view)).toEqual(['runId', 'status', 'workflow', 'nodes']);
    expect(view).toMatchObject({ runId: run.runId, workflow: { name, version: 1 } });
    expect(['RUNNING', 'COMPLETED']).toContain(view.status);
  });

  it('runs examples/hello.json (pushed with --file) to COMPLETED and prints every node', async () => {
    const result = await cli([
      'run',
      '--file',
      join(root, 'examples/hello.json'),
      '--input',
      '{"name":"Ada"}',
      '--wait',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ status: 'COMPLETED', workflow: { name: 'hello' } });
    expect(run.nodes.greet).toEqual({
      status: 'succeeded',
      attempts: 1,
      output: { main: [{ json: { name: 'Ada', greeting: 'Hello, Ada!' } }] },
    });
    expect(run.nodes.start.status).toBe('succeeded');
    // Progress goes to stderr only.
    expect(result.stderr).toContain(run.runId);

    const shown = await cli(['runs', 'show', run.runId, '--json']);
    expect(JSON.parse(shown.stdout)).toEqual(run);
    const readable = await cli(['runs', 'show', run.runId]);
    expect(readable.stdout).toMatch(/COMPLETED/);
    expect(readable.stdout).toMatch(/greet\s+succeeded\s+1 attempt/);
  });

  it('exits 1 for a FAILED run and shows the failing node error', async () => {
    const file = join(scratch, 'fails.json');
    const name = uniqueName('fails');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name,
        nodes: [
          { id: 'start', type: 'trigger.manual' },
          { id: 'stop', type: 'core.stopAndError', params: { message: 'no customer' } },
        ],
        edges: [{ from: 'start', to: 'stop' }],
      }),
    );
    const result = await cli(['run', '--file', file, '--wait', '--json']);
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout);
    expect(run.status).toBe('FAILED');
    expect(run.nodes.stop).toMatchObject({ status: 'failed', error: { code: 'FF_STOP_AND_ERROR' } });
    const readable = await cli(['runs', 'show', run.runId]);
    expect(readable.code).toBe(1);
    expect(readable.stdout).toContain('FF_STOP_AND_ERROR: no customer');
  });

  it('rejects bad --input JSON with exit 2 before calling the control plane', async () => {
    const result = await cli(['run', 'anything', '--input', '{name: Ada}', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FF_BAD_INPUT: --input is not valid JSON');
    expect(JSON.parse(result.stdout).error.code).toBe('FF_BAD_INPUT');
  });

  it('exits 2 for an unknown workflow and for an unknown flag', async () => {
    const unknown = await cli(['run', uniqueName('missing')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('FF_NOT_FOUND');
    const flag = await cli(['run', 'x', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('FF_BAD_INPUT');
  });

  it('exits 1 with a clear message when the control plane is not reachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await cli(['workflow', 'list'], { FLOWFORGE_URL: url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`control plane not reachable at ${url} — start it with npm start`);
  });

  it('reads the URL and key from $FLOWFORGE_HOME/cli-config.json when the variables are not set', async () => {
    const home = mkdtempSync(join(tmpdir(), 'flowforge-cli-home-'));
    writeFileSync(join(home, 'cli-config.json'), JSON.stringify({ url: stack.url, apiKey: stack.apiKey }));
    const result = await cli(['workflow', 'list', '--json'], {
      FLOWFORGE_HOME: home,
      FLOWFORGE_URL: '',
      FLOWFORGE_API_KEY: '',
    });
    rmSync(home, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });
});
