/// <reference path="../../scripts/test-env/global-setup.ts" />
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { RunExportManifestSchema } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthTestServer } from '../../scripts/test-env/auth-test-server.ts';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/**
 * `flowforge runs export <runId>` as users run it, against a control plane and a worker: a run
 * whose first node's output is over the claim-check threshold (256 KiB, so it lives in the
 * artefact store and only a reference is in Temporal's history) and whose next node authenticates
 * with a stored credential. The archive is unpacked with the system's own `tar`, its files checked
 * against the manifest, the stored payload found in full, and the credential's value nowhere.
 */

const exec = promisify(execFile);
let stack: LocalStack;
let server: AuthTestServer;
let scratch: string;

function cli(args: string[]): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, args);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-export-'));
  [stack, server] = await Promise.all([startTestStack(), startAuthTestServer()]);
});
afterAll(async () => {
  await stack?.stop();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const BLOB_CHARS = 300_000;

async function exportedRun(token: string): Promise<{ runId: string; name: string }> {
  const credential = uniqueName('export-bearer');
  await stack.graphql(
    'mutation ($n: String!, $v: JSON!) { setCredential(name: $n, type: "httpBearerAuth", value: $v) { created } }',
    { n: credential, v: { token } },
  );
  const name = uniqueName('cli-export');
  const nodes = [
    { id: 'start', type: 'trigger.manual' },
    { id: 'big', type: 'core.set', params: { values: { blob: `={{ 'x'.repeat(${BLOB_CHARS}) }}` } } },
    {
      id: 'echo',
      type: 'http.request',
      params: { url: `${server.url}/echo`, authentication: 'httpBearerAuth' },
      credentials: { httpBearerAuth: credential },
    },
    { id: 'done', type: 'core.noop' },
  ];
  const edges = ['big', 'echo', 'done'].map((to, index) => ({ from: nodes[index]?.id, to }));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: { schemaVersion: 1, name, nodes, edges },
  });
  const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: name, i: { orderId: 'A-7' } },
  );
  const { run } = await stack.graphql<{ run: { status: string } }>(
    'query ($id: ID!) { run(id: $id, waitSeconds: 60) { status } }',
    { id: startRun.runId },
  );
  expect(run.status).toBe('COMPLETED');
  return { runId: startRun.runId, name };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('flowforge runs export', () => {
  it('writes <runId>.tar.gz with every node input and output, the stored payload in full, no credential value', async () => {
    const token = `export-token-${randomUUID()}`;
    const { runId, name } = await exportedRun(token);

    const result = await cli(['runs', 'export', runId, '--json']);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    const file = join(scratch, `${runId}.tar.gz`);
    expect(JSON.parse(result.stdout)).toEqual({ file, bytes: statSync(file).size, nodes: 4 });
    expect(result.stderr).toContain(`wrote ${file}: 4 nodes`);

    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    await exec('tar', ['-xzf', file, '-C', unpacked]);
    const manifest = RunExportManifestSchema.parse(JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')));
    expect(manifest).toMatchObject({ runId, status: 'COMPLETED', workflow: { name, version: 1 } });
    expect(manifest.workflow.hash).toMatch(/^sha256:/);
    expect(Object.keys(manifest.nodes)).toEqual(['start', 'big', 'echo', 'done']);
    expect(manifest.nodes.big).toMatchObject({ type: 'core.set', status: 'succeeded', attempts: 1 });
    expect(manifest.nodes.big?.storedPorts).toEqual(['main']);
    expect(manifest.nodes.echo?.storedPorts).toEqual([]);
    expect(manifest.nodes.start?.input).toBeNull();

    // Every file the manifest names is there with its size and hash, and nothing else is.
    const listed = [
      manifest.definition,
      manifest.input,
      ...Object.values(manifest.nodes).flatMap((n) => [n.input, n.output]),
    ]
      .filter((entry) => entry !== null)
      .map((entry) => entry.file);
    const found = filesUnder(unpacked).map((path) => relative(unpacked, path));
    expect(found.sort()).toEqual([...listed, 'manifest.json'].sort());
    for (const entry of [manifest.definition, manifest.nodes.big?.output, manifest.nodes.echo?.input]) {
      const data = readFileSync(join(unpacked, entry?.file ?? ''));
      expect({ bytes: data.length, sha256: sha256(data) }).toEqual({ bytes: entry?.bytes, sha256: entry?.sha256 });
    }

    const read = (path: string) => JSON.parse(readFileSync(join(unpacked, path), 'utf8'));
    expect(read('run-input.json')).toEqual({ orderId: 'A-7' });
    expect(read('workflow.json')).toMatchObject({ name, nodes: expect.any(Array) });
    const bigOut = read('nodes/big/output.json');
    expect(bigOut.main).toHaveLength(1);
    expect(bigOut.main[0].json.blob).toHaveLength(BLOB_CHARS);
    // echo's input came from the stored port: the archive holds it in full, not the reference.
    expect(read('nodes/echo/input.json')).toEqual({ main: bigOut.main });
    const echoOut = read('nodes/echo/output.json');
    expect(echoOut.main[0].json.headers.authorization).toBe('Bearer [redacted]'); // echoed, and scrubbed by the worker
    expect(read('nodes/done/input.json')).toEqual({ main: echoOut.main });

    // The token reached the API (the echo server saw it) and is in no file of the archive.
    expect(server.received().some((headers) => headers.authorization === `Bearer ${token}`)).toBe(true);
    for (const path of filesUnder(unpacked)) expect(readFileSync(path, 'utf8')).not.toContain(token);
  });

  it('refuses to overwrite a file unless --force, and names an unknown run', async () => {
    const { runId } = await exportedRun(`export-token-${randomUUID()}`);
    const output = join(scratch, `again-${randomUUID()}.tar.gz`);
    expect(await cli(['runs', 'export', runId, '--output', output])).toMatchObject({ code: 0 });

    const refused = await cli(['runs', 'export', runId, '--output', output, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'FF_CONFLICT' });
    expect(refused.stderr).toContain('--force');
    const forced = await cli(['runs', 'export', runId, '-o', output, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ file: output, nodes: 4 });

    const unknown = await cli(['runs', 'export', 'run-that-does-not-exist', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ code: 'FF_NOT_FOUND' });
    expect(readdirSync(scratch).some((entry) => entry.startsWith('run-that-does-not-exist'))).toBe(false);
  });

  it('GET /runs/<runId>/export needs an API key', async () => {
    const response = await fetch(`${stack.url}/runs/anything/export`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'FF_UNAUTHENTICATED' } });
  });
});
