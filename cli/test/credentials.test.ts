/// <reference path="../../scripts/test-env/global-setup.ts" />
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthTestServer } from '../../scripts/test-env/auth-test-server.ts';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/**
 * `flowforge credentials ...` as users run it (the ./flowforge shim, a child process) against a
 * control plane and one worker, and a workflow whose http.request authenticates with what was set.
 * Output shapes and exit codes are a contract (cli/README.md).
 */

let stack: LocalStack;
let server: AuthTestServer;
let scratch: string;

function cli(args: string[], stdin = ''): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, args, { stdin });
}

const secret = () => `canary-${randomUUID()}`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-credentials-'));
  server = await startAuthTestServer();
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('credentials set / list / delete', () => {
  it('set reads the value from standard input; list shows names, types and times only', async () => {
    const name = uniqueName('github');
    const token = secret();
    const set = await cli(
      ['credentials', 'set', name, '--type', 'httpBearerAuth', '--json'],
      JSON.stringify({ token }),
    );
    expect(set).toMatchObject({ code: 0 });
    expect(JSON.parse(set.stdout)).toMatchObject({ name, type: 'httpBearerAuth', created: true });
    const again = await cli(
      ['credentials', 'set', name, '--type', 'httpBearerAuth', '--json'],
      JSON.stringify({ token }),
    );
    expect(JSON.parse(again.stdout).created).toBe(false);
    const text = await cli(['credentials', 'set', name, '-t', 'httpBearerAuth'], JSON.stringify({ token }));
    expect(text.stdout.trim()).toBe(`credential "${name}" (httpBearerAuth) replaced`);

    const list = await cli(['credentials', 'list', '--json']);
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as Array<Record<string, string>>;
    const entry = entries.find((e) => e.name === name);
    expect(Object.keys(entry ?? {})).toEqual(['name', 'type', 'createdAt', 'updatedAt']);
    expect(entry?.type).toBe('httpBearerAuth');
    expect(`${list.stdout}${set.stdout}${set.stderr}`).not.toContain(token);

    const deleted = await cli(['credentials', 'delete', name, '--json']);
    expect({ code: deleted.code, json: JSON.parse(deleted.stdout) }).toEqual({
      code: 0,
      json: { name, type: 'httpBearerAuth', deleted: true },
    });
    const gone = await cli(['credentials', 'delete', name]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`FF_NOT_FOUND: no credential named "${name}"`);
  });

  it('never takes a value from the command line, and never echoes one put there', async () => {
    const value = secret();
    for (const args of [
      ['credentials', 'set', 'x', '--type', 'httpBearerAuth', '--value', JSON.stringify({ token: value })],
      ['credentials', 'set', 'x', '--type', 'httpBearerAuth', `--value=${value}`],
      ['credentials', 'set', 'x', JSON.stringify({ token: value }), '--type', 'httpBearerAuth'],
      ['credentials', 'set', value.toUpperCase(), '--type', 'httpBearerAuth'],
      ['credentials', 'set', 'x', '--type', value.toUpperCase()],
    ]) {
      const result = await cli(args, JSON.stringify({ token: 'abcdef' }));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^FF_BAD_INPUT: /);
      expect(`${result.stdout}${result.stderr}`.toLowerCase()).not.toContain(value);
    }
  });

  it('bad standard input exits 2 naming what is wrong, never quoting it', async () => {
    const password = secret();
    const notJson = await cli(
      ['credentials', 'set', 'x', '--type', 'httpBasicAuth'],
      `{"user": "u", "password": ${password}}`,
    );
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/FF_BAD_INPUT: standard input is not valid JSON/);
    const empty = await cli(['credentials', 'set', 'x', '--type', 'httpBasicAuth'], '');
    expect(empty.stderr).toMatch(/standard input is empty/);
    const wrong = await cli(
      ['credentials', 'set', 'x', '--type', 'httpBasicAuth', '--json'],
      JSON.stringify({ user: 'u', pass: password }),
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/field "password" is missing/);
    expect(JSON.parse(wrong.stdout).error.issues.map((i: { path: string[] }) => i.path)).toContainEqual([
      'value',
      'password',
    ]);
    for (const result of [notJson, empty, wrong]) expect(`${result.stdout}${result.stderr}`).not.toContain(password);
  });
});

function workflowFile(name: string, node: Record<string, unknown>): string {
  const file = join(scratch, `${name}.json`);
  const definition = {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'call', type: 'http.request', ...node },
    ],
    edges: [{ from: 'start', to: 'call' }],
  };
  writeFileSync(file, JSON.stringify(definition));
  return file;
}

describe('a workflow that uses a credential', () => {
  it('http.request authenticates with OAuth2 client credentials set through the CLI', async () => {
    const credential = uniqueName('orders-api');
    const value = { tokenUrl: server.tokenUrl, clientId: server.clientId, clientSecret: server.clientSecret };
    expect(
      (await cli(['credentials', 'set', credential, '--type', 'oauth2ClientCredentials'], JSON.stringify(value))).code,
    ).toBe(0);
    const file = workflowFile(uniqueName('oauth'), {
      params: { url: `${server.url}/api/orders`, authentication: 'oauth2ClientCredentials' },
      credentials: { oauth2ClientCredentials: credential },
    });
    const run = await cli(['run', '--file', file, '--wait', '--json']);
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout);
    expect(view.status).toBe('COMPLETED');
    expect(view.nodes.call.output.main).toEqual([{ json: { path: '/api/orders', scope: null } }]);
    expect(run.stdout).not.toContain(server.clientSecret);
  });

  it('basic auth arrives as set, and comes back out of the run scrubbed', async () => {
    const credential = uniqueName('basic');
    const password = secret();
    await cli(['credentials', 'set', credential, '--type', 'httpBasicAuth'], JSON.stringify({ user: 'ada', password }));
    const file = workflowFile(uniqueName('basic'), {
      params: { url: `${server.url}/echo`, authentication: 'httpBasicAuth' },
      credentials: { httpBasicAuth: credential },
    });
    const run = await cli(['run', '--file', file, '--wait', '--json']);
    expect(JSON.parse(run.stdout).nodes.call.output.main[0].json.headers.authorization).toBe('Basic [redacted]');
    const expected = `Basic ${Buffer.from(`ada:${password}`).toString('base64')}`;
    expect(server.received().some((headers) => headers.authorization === expected)).toBe(true);
  });

  it('a run naming a credential that does not exist is refused at start (exit 2), naming it and the node', async () => {
    const missing = uniqueName('nope');
    const file = workflowFile(uniqueName('missing'), {
      params: { url: `${server.url}/echo`, authentication: 'httpBearerAuth' },
      credentials: { httpBearerAuth: missing },
    });
    const run = await cli(['run', '--file', file, '--wait']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `FF_NOT_FOUND: node "call" of workflow ".*" names credential "${missing}" \\(slot httpBearerAuth\\), which does not exist`,
      ),
    );
  });
});

describe('credentials rotate-key', () => {
  it('re-wraps every data key with a new master key, printing progress; credentials keep working', async () => {
    const credential = uniqueName('rotated');
    const token = secret();
    await cli(['credentials', 'set', credential, '--type', 'httpBearerAuth'], JSON.stringify({ token }));
    const rotated = await cli(['credentials', 'rotate-key', '--batch', '1', '--json']);
    expect(rotated.code).toBe(0);
    const result = JSON.parse(rotated.stdout);
    expect(result).toMatchObject({ remaining: 0, keyId: expect.stringMatching(/^k[0-9a-f]{16}$/) });
    expect(result.rewrapped).toBe(result.total);
    expect(result.retiredKeyIds).toHaveLength(1);
    expect(rotated.stderr).toMatch(/master key k[0-9a-f]{16}: \d+ of \d+ data keys to re-wrap/);
    expect(rotated.stderr).toMatch(/re-wrapped 1 of \d+ data keys/);

    const file = workflowFile(uniqueName('after-rotation'), {
      params: { url: `${server.url}/echo`, authentication: 'httpBearerAuth' },
      credentials: { httpBearerAuth: credential },
    });
    const run = await cli(['run', '--file', file, '--wait', '--json']);
    expect(JSON.parse(run.stdout).status).toBe('COMPLETED');
    expect(server.received().some((headers) => headers.authorization === `Bearer ${token}`)).toBe(true);
  });
});
