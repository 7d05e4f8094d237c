import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../test-env/index.ts';
import { type LocalStack, startLocalStack } from '../test-env/local-stack.ts';

/**
 * Every mutation of the GraphQL schema, made to succeed once against a real stack (control plane,
 * worker, Temporal, PostgreSQL), writes at least one audit event carrying that request's id. The
 * list of mutations comes from the schema: a new mutation without a case here fails the test.
 */
let stack: LocalStack;
let databaseUrl: string;
let mutations: string[] = [];
const runs: Record<string, string> = {};
const root = join(import.meta.dirname, '..', '..');

async function call(query: string, variables: Record<string, unknown> = {}) {
  const requestId = `audit-test-${randomUUID()}`;
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.apiKey}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Record<string, unknown>; errors?: Array<{ message: string }> };
  expect(body.errors, query).toBeUndefined();
  expect(response.headers.get('x-request-id')).toBe(requestId);
  return { data: body.data, requestId };
}

async function startApprovalRun(): Promise<string> {
  const { data } = await call('mutation { startRun(workflow: "audit-gate") { runId } }');
  const runId = (data.startRun as { runId: string }).runId;
  // Waits until the run stands at its approval (the decision is refused before).
  for (let i = 0; i < 100; i++) {
    const { approvals } = await stack.graphql<{ approvals: Array<{ runId: string }> }>('{ approvals { runId } }');
    if (approvals.some((a) => a.runId === runId)) return runId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} never waited for its approval`);
}

const RUN_FIELDS = '{ runId status }';
const ROTATION = '{ keyId remaining }';
const CASES: Record<string, () => Promise<string>> = {
  pushWorkflow: async () =>
    (
      await call('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
        d: JSON.parse(readFileSync(join(root, 'examples/hello.json'), 'utf8')),
      })
    ).requestId,
  startRun: async () => {
    const { data, requestId } = await call(
      `mutation { startRun(workflow: "hello", input: {name: "Ada"}) ${RUN_FIELDS} }`,
    );
    runs.hello = (data.startRun as { runId: string }).runId;
    return requestId;
  },
  approvalLink: async () => {
    runs.linked = await startApprovalRun();
    return (await call(`mutation { approvalLink(runId: "${runs.linked}", decision: "approve") }`)).requestId;
  },
  approve: async () =>
    (await call(`mutation { approve(runId: "${runs.linked}", comment: "ok") ${RUN_FIELDS} }`)).requestId,
  reject: async () => {
    const runId = await startApprovalRun();
    return (await call(`mutation { reject(runId: "${runId}") ${RUN_FIELDS} }`)).requestId;
  },
  pauseRun: async () => {
    runs.controlled = await startApprovalRun();
    return (await call(`mutation { pauseRun(id: "${runs.controlled}") ${RUN_FIELDS} }`)).requestId;
  },
  resumeRun: async () => (await call(`mutation { resumeRun(id: "${runs.controlled}") ${RUN_FIELDS} }`)).requestId,
  cancelRun: async () => (await call(`mutation { cancelRun(id: "${runs.controlled}") ${RUN_FIELDS} }`)).requestId,
  retryRun: async () => (await call(`mutation { retryRun(id: "${runs.controlled}") ${RUN_FIELDS} }`)).requestId,
  activateWorkflow: async () => {
    await call('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: JSON.parse(readFileSync(join(root, 'examples/triggers/nightly-report.json'), 'utf8')),
    });
    return (await call('mutation { activateWorkflow(name: "nightly-report") { activeVersion } }')).requestId;
  },
  pauseSchedule: async () =>
    (await call('mutation { pauseSchedule(workflow: "nightly-report") { paused } }')).requestId,
  resumeSchedule: async () =>
    (await call('mutation { resumeSchedule(workflow: "nightly-report") { paused } }')).requestId,
  triggerSchedule: async () =>
    (await call('mutation { triggerSchedule(workflow: "nightly-report") { runId } }')).requestId,
  deactivateWorkflow: async () =>
    (await call('mutation { deactivateWorkflow(name: "nightly-report") { activeVersion } }')).requestId,
  archiveWorkflow: async () =>
    (await call('mutation { archiveWorkflow(name: "nightly-report") { archived } }')).requestId,
  unarchiveWorkflow: async () =>
    (await call('mutation { unarchiveWorkflow(name: "nightly-report") { archived } }')).requestId,
  createUser: async () =>
    (await call('mutation { createUser(email: "audit-user@example.com", password: "a long passphrase") { id } }'))
      .requestId,
  setCredential: async () =>
    (
      await call(
        'mutation { setCredential(name: "audit-h", type: "httpHeaderAuth", value: {name: "x-k", value: "s3cret-value"}) { created } }',
      )
    ).requestId,
  rotateEncryptionKey: async () => (await call(`mutation { rotateEncryptionKey ${ROTATION} }`)).requestId,
  rewrapCredentials: async () => (await call(`mutation { rewrapCredentials ${ROTATION} }`)).requestId,
  deleteCredential: async () => (await call('mutation { deleteCredential(name: "audit-h") { name } }')).requestId,
};

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
  // From the running server's own schema, so nothing here can drift from it.
  const { __schema } = await stack.graphql<{ __schema: { mutationType: { fields: Array<{ name: string }> } } }>(
    '{ __schema { mutationType { fields { name } } } }',
  );
  mutations = __schema.mutationType.fields.map((field) => field.name);
  await call('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: {
      schemaVersion: 1,
      name: 'audit-gate',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'gate', type: 'core.approval', params: { message: 'ok?' } },
      ],
      edges: [{ from: 'start', to: 'gate' }],
    },
  });
}, 120_000);
afterAll(() => stack?.stop());

describe('the audit log', () => {
  it('has a case for every mutation of the schema', () => {
    expect(mutations.length).toBeGreaterThan(10);
    expect(mutations.filter((name) => !(name in CASES))).toEqual([]);
  });

  it('records every mutation that succeeds, with its request id, actor and project', async () => {
    const requests = new Map<string, string>();
    for (const name of Object.keys(CASES)) requests.set(name, await CASES[name]!());
    const { auditEvents } = await stack.graphql<{
      auditEvents: { events: Array<{ requestId: string | null; actor: string; project: string; action: string }> };
    }>('{ auditEvents(first: 500) { events { requestId actor project action } } }');
    const missing = [...requests].filter(([, id]) => !auditEvents.events.some((e) => e.requestId === id));
    expect(missing.map(([name]) => name)).toEqual([]);
    const mine = auditEvents.events.filter((e) => e.requestId?.startsWith('audit-test-'));
    expect(new Set(mine.map((e) => e.actor))).toEqual(new Set(['api-key:local-stack']));
    expect(new Set(mine.map((e) => e.project))).toEqual(new Set(['default']));
  }, 240_000);

  it('keeps the hash of what a push stored and of what an activation switched', async () => {
    const { auditEvents } = await stack.graphql<{
      auditEvents: { events: Array<{ target: string; afterHash: string | null; beforeHash: string | null }> };
    }>('{ auditEvents(action: "workflow.push", first: 5) { events { target afterHash beforeHash } } }');
    const { workflow } = await stack.graphql<{ workflow: { versions: Array<{ hash: string }> } }>(
      '{ workflow(name: "hello") { versions { hash } } }',
    );
    const push = auditEvents.events.find((e) => e.target === 'workflow:hello@1');
    expect(push?.afterHash).toBe(workflow.versions[0]?.hash);
  });

  it('pages newest first by cursor, without gaps or repeats', async () => {
    type Page = { auditEvents: { events: Array<{ seq: string }>; nextCursor: string | null } };
    const all = await stack.graphql<Page>('{ auditEvents(first: 500) { events { seq } nextCursor } }');
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Page = await stack.graphql<Page>(
        'query ($a: String) { auditEvents(first: 3, after: $a) { events { seq } nextCursor } }',
        { a: after },
      );
      seen.push(...page.auditEvents.events.map((e) => e.seq));
      after = page.auditEvents.nextCursor;
    } while (after);
    expect(seen).toEqual(all.auditEvents.events.map((e) => e.seq));
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));
  });

  it('cannot be changed or deleted, not even by SQL on the control plane connection', async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const before = await db.query('SELECT count(*)::int AS n FROM "AuditEvent"');
      await expect(db.query(`UPDATE "AuditEvent" SET actor = 'someone-else'`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(db.query('DELETE FROM "AuditEvent"')).rejects.toThrow(/append-only: DELETE/);
      await expect(db.query('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only: TRUNCATE/);
      expect((await db.query('SELECT count(*)::int AS n FROM "AuditEvent"')).rows[0].n).toBe(before.rows[0].n);
      expect(before.rows[0].n).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  });
});
