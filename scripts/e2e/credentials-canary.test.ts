import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { CREDENTIAL_RESOLVE_PATH } from '@flowforge/connectors-sdk/contract';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AuthTestServer, startAuthTestServer } from '../test-env/auth-test-server.ts';
import { type GraphQL, uniqueName } from '../test-env/index.ts';
import { type ServiceProcesses, startServiceProcesses } from './support/service-processes.ts';

/**
 * The canary: a run whose nodes (and a child run's node) use credentials with unique values, some
 * of which the API echoes back and quotes in errors, on the control plane and a worker as npm start
 * runs them (processes of their own, logging at debug: pino JSON lines, the Temporal SDK's and
 * Core's included). The values must reach the API and be found nowhere else: not in the runs'
 * Temporal histories (`temporal workflow show --output json`), not in either service's log, not in
 * the run views (outputs, node errors, the run's error), not in the audit log, not in the credential
 * rows (they are ciphertext).
 */

const exec = promisify(execFile);

let services: ServiceProcesses;
let databaseUrl: string;
let server: AuthTestServer;
let graphql: GraphQL;

beforeAll(async () => {
  server = await startAuthTestServer();
  const debug = { FLOWFORGE_LOG_LEVEL: 'debug' };
  services = await startServiceProcesses({ name: 'canary', controlPlaneEnv: debug, workerEnv: debug });
  graphql = services.graphql;
  databaseUrl = services.databaseUrl;
});
afterAll(async () => {
  await Promise.allSettled([services?.stop(), server?.close()]);
});

const SET =
  'mutation ($name: String!, $type: String!, $value: JSON!) { setCredential(name: $name, type: $type, value: $value) { created } }';
const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }';
const VIEW = 'query ($id: ID!, $wait: Int) { run(id: $id, waitSeconds: $wait) { runId status nodes error note } }';

type View = {
  runId: string;
  status: string;
  nodes: Record<string, { childRun?: string; error?: unknown }>;
  error: unknown;
};

describe('credential values never leave the node that uses them', () => {
  it('the canary run: values reach the API, and appear in no history, log, view, error or row', async () => {
    const canary = {
      bearer: `bearer-${randomUUID()}`,
      password: `password-${randomUUID()}`,
      header: `header-${randomUUID()}`,
    };
    const names = {
      bearer: uniqueName('canary-bearer'),
      basic: uniqueName('canary-basic'),
      header: uniqueName('canary-header'),
    };
    await graphql(SET, { name: names.bearer, type: 'httpBearerAuth', value: { token: canary.bearer } });
    await graphql(SET, { name: names.basic, type: 'httpBasicAuth', value: { user: 'ada', password: canary.password } });
    await graphql(SET, {
      name: names.header,
      type: 'httpHeaderAuth',
      value: { name: 'X-Canary', value: canary.header },
    });

    const http = (id: string, path: string, slot: string, credential: string, extra: Record<string, unknown> = {}) => ({
      id,
      type: 'http.request',
      params: { url: `${server.url}${path}`, authentication: slot },
      credentials: { [slot]: credential },
      ...extra,
    });
    const child = uniqueName('canary-child');
    await graphql(PUSH, {
      d: {
        schemaVersion: 1,
        name: child,
        nodes: [{ id: 'start', type: 'trigger.manual' }, http('inChild', '/echo', 'httpHeaderAuth', names.header)],
        edges: [{ from: 'start', to: 'inChild' }],
      },
    });
    const parent = uniqueName('canary');
    const nodes = [
      { id: 'start', type: 'trigger.manual' },
      http('echo', '/echo', 'httpBearerAuth', names.bearer),
      { id: 'child', type: 'core.executeWorkflow', params: { workflow: child } },
      http('leak', '/echo-fail', 'httpBasicAuth', names.basic, { onError: 'continue' }),
      http('fail', '/echo-fail', 'httpHeaderAuth', names.header),
    ];
    const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index]?.id, to: node.id }));
    await graphql(PUSH, { d: { schemaVersion: 1, name: parent, nodes, edges } });
    const { startRun } = await graphql<{ startRun: { runId: string } }>(
      'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
      {
        w: parent,
      },
    );
    const { run } = await graphql<{ run: View }>(VIEW, { id: startRun.runId, wait: 90 });
    expect(run.status).toBe('FAILED');
    const childRunId = run.nodes.child?.childRun as string;
    expect(childRunId).toBeTruthy();
    const { run: childView } = await graphql<{ run: View }>(VIEW, { id: childRunId, wait: 30 });
    expect(childView.status).toBe('COMPLETED');

    // The values did arrive (so finding them nowhere below means something).
    const basic = Buffer.from(`ada:${canary.password}`).toString('base64');
    const arrived = server.received();
    expect(arrived.some((h) => h.authorization === `Bearer ${canary.bearer}`)).toBe(true);
    expect(arrived.some((h) => h.authorization === `Basic ${basic}`)).toBe(true);
    expect(arrived.filter((h) => h['x-canary'] === canary.header).length).toBeGreaterThanOrEqual(2);

    const haystacks: Record<string, string> = {
      'run view (parent)': JSON.stringify(run),
      'run view (child)': JSON.stringify(childView),
      'control plane and worker logs': services.logs.join('\n'),
      ...(await histories([startRun.runId, childRunId])),
      ...(await databaseRows()),
    };
    // The scans cover what they claim: the history holds the credentials' names (never their values), the log its lines.
    expect(haystacks[`Temporal history of ${startRun.runId}`]).toContain(names.bearer);
    expect(haystacks[`Temporal history of ${childRunId}`]).toContain(names.header);
    expect(haystacks['control plane and worker logs']).toContain('credential');
    // ...and the logs hold the lines where a value could slip in: every node attempt of both runs (the
    // failed ones with the SDK's "Activity failed" and its error), and the credential requests the worker made.
    const workerLines = services.jsonLines('worker');
    for (const [runId, nodeId] of [
      [startRun.runId, 'echo'],
      [startRun.runId, 'leak'],
      [startRun.runId, 'fail'],
      [childRunId, 'inChild'],
    ]) {
      expect(
        workerLines.some((line) => line.msg === 'node finished' && line.runId === runId && line.nodeId === nodeId),
      ).toBe(true);
    }
    expect(workerLines.some((line) => line.msg === 'Activity failed' && line.nodeId === 'fail' && line.err)).toBe(true);
    const requests = services.jsonLines('control-plane').filter((line) => line.msg === 'incoming request');
    expect(requests.some((line) => (line.req as { url?: string } | undefined)?.url === CREDENTIAL_RESOLVE_PATH)).toBe(
      true,
    );
    const needles = [canary.bearer, canary.password, canary.header, basic];
    const found = Object.entries(haystacks).flatMap(([where, text]) =>
      needles.filter((needle) => text.includes(needle)).map((needle) => `${where} holds ${needle.slice(0, 12)}…`),
    );
    expect(found).toEqual([]);
    // The errors are there and readable, just without the values.
    expect(JSON.stringify(run.error)).toContain('[redacted]');
  });
});

/** `temporal workflow show --output json` of each run, as Temporal's own CLI prints the whole history. */
async function histories(runIds: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(
    runIds.map(async (runId) => {
      const { stdout } = await exec(
        inject('temporalBin'),
        ['workflow', 'show', '--workflow-id', runId, '--output', 'json', '--address', inject('temporalAddress')],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      // The CLI prints payloads as base64 (`data`): decoded, so the scan reads what Temporal stores.
      return [`Temporal history of ${runId}`, `${stdout}\n${decodedPayloads(JSON.parse(stdout)).join('\n')}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Every `{ metadata, data }` payload's data, base64-decoded. */
function decodedPayloads(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(decodedPayloads);
  const record = value as Record<string, unknown>;
  const own =
    typeof record.data === 'string' && record.metadata ? [Buffer.from(record.data, 'base64').toString('utf8')] : [];
  return [...own, ...Object.values(record).flatMap(decodedPayloads)];
}

/** The audit log and the credential rows as PostgreSQL holds them (bytea as text and hex). */
async function databaseRows(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const audit = await client.query('SELECT * FROM "AuditEvent"');
    const rows = await client.query('SELECT * FROM "Credential"');
    const bytes = rows.rows
      .flatMap((row) => [row.ciphertext, row.wrappedKey])
      .filter(Boolean)
      .map((b: Buffer) => `${b.toString('latin1')} ${b.toString('hex')} ${b.toString('base64')}`);
    return {
      'audit log': JSON.stringify(audit.rows),
      'credential rows': `${JSON.stringify(rows.rows)} ${bytes.join(' ')}`,
    };
  } finally {
    await client.end();
  }
}
