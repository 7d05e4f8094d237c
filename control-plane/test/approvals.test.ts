/// <reference path="../../scripts/test-env/global-setup.ts" />
import { generateKeyPairSync } from 'node:crypto';
import { DECIDE_UPDATE, type DecisionClaims, inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startLocalStack } from '../../scripts/test-env/local-stack.ts';
import { MAX_LINK_TTL_SECONDS } from '../src/approvals/approval-link.ts';
import { signDecisionToken } from '../src/approvals/decision-token.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { createPrisma, type PrismaClient } from '../src/database.ts';
import { loadRunSigningKeys } from '../src/signing/run-signing-keys.ts';
import { nonCanonicalForms } from './token-variants.ts';

/**
 * core.approval on the real stack: the control plane (GraphQL) signs decisions, runDag's update
 * validator judges them on Temporal, a worker runs the nodes, PostgreSQL holds keys and audit rows.
 */

interface GraphQLResult<T> {
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const RUN_FIELDS = 'runId status nodes';

let stack: LocalStack;
let prisma: PrismaClient;
let temporal: Client;
/** API keys: an approver (role "finance"), a bystander (role "sales"), and user "carol" (no roles). */
const keys: Record<'finance' | 'sales' | 'carol', string> = { finance: '', sales: '', carol: '' };

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
  prisma = createPrisma(databaseUrl);
  keys.finance = (await createApiKey(prisma, 'fin', { user: 'fiona', roles: ['finance'] })).key;
  keys.sales = (await createApiKey(prisma, 'sal', { user: 'sam', roles: ['sales'] })).key;
  keys.carol = (await createApiKey(prisma, 'car', { user: 'carol' })).key;
  temporal = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  await temporal?.connection.close();
  await prisma?.$disconnect();
  await stack?.stop();
});

async function gql<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult<T>> {
  const response = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** start → gate (core.approval) → ok on "approved", no on "rejected". */
async function startApprovalRun(gate: Record<string, unknown>, input: unknown = { order: 'A-1' }): Promise<string> {
  const name = uniqueName('approval');
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'gate', type: 'core.approval', params: { roles: ['finance'], ...gate } },
        { id: 'ok', type: 'core.set', params: { values: { shipped: true } } },
        { id: 'no', type: 'core.set', params: { values: { shipped: false } } },
      ],
      edges: [
        { from: 'start', to: 'gate' },
        { from: 'gate', fromPort: 'approved', to: 'ok' },
        { from: 'gate', fromPort: 'rejected', to: 'no' },
      ],
    },
  });
  const { startRun } = await stack.graphql<{ startRun: RunView }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: name, i: input },
  );
  return startRun.runId;
}

async function runView(runId: string, waitSeconds = 0): Promise<RunView> {
  const { run } = await stack.graphql<{ run: RunView }>(
    `query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { ${RUN_FIELDS} } }`,
    { id: runId, w: waitSeconds },
  );
  return run;
}

/** Re-reads until `check` holds (the run moves on its own time); fails with the last value after 30 s. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const waitingAtGate = (runId: string) =>
  eventually(
    () => runView(runId),
    (run) => run.nodes.gate?.status === 'waiting',
  );

const DECIDE = (verb: 'approve' | 'reject') => /* GraphQL */ `
  mutation ($r: ID!, $n: String, $c: String, $f: JSON) {
    ${verb}(runId: $r, nodeId: $n, comment: $c, fields: $f) { ${RUN_FIELDS} }
  }`;

const jsonOf = (run: RunView, node: string, port = 'main') =>
  inlineItems(run.nodes[node]?.output?.[port]).map((i) => i.json);

async function auditRows(runId: string) {
  return prisma.auditEvent.findMany({
    where: { target: { startsWith: `run:${runId}/` } },
    orderBy: { at: 'asc' },
  });
}

describe('core.approval on the real stack', () => {
  it('shows the waiting node with what it waits for, then an approval continues on "approved" with the decision', async () => {
    const runId = await startApprovalRun({ message: 'Ship order A-1?', fields: { note: { type: 'string' } } });
    const waiting = await waitingAtGate(runId);
    expect(waiting.status).toBe('RUNNING');
    expect(waiting.nodes.gate?.waiting).toMatchObject({
      for: 'approval',
      message: 'Ship order A-1?',
      roles: ['finance'],
      since: expect.any(String),
    });

    const decided = await gql<{ approve: RunView }>(keys.finance, DECIDE('approve'), {
      r: runId,
      c: 'looks fine',
      f: { note: 'priority' },
    });
    expect(decided.errors).toBeUndefined();
    const run = await runView(runId, 30);
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.no?.status).toBe('skipped');
    const [item] = jsonOf(run, 'gate', 'approved');
    expect(item).toMatchObject({
      order: 'A-1',
      decision: 'approve',
      by: 'fiona',
      at: expect.any(String),
      comment: 'looks fine',
      fields: { note: 'priority' },
    });
    expect(jsonOf(run, 'ok')).toEqual([{ ...item, shipped: true }]);
    expect((await auditRows(runId)).map((row) => [row.action, row.actor])).toEqual([
      ['approval.approve', 'api-key:fin'],
    ]);

    // Decided and ended: nothing is waiting any more.
    const again = await gql(keys.finance, DECIDE('approve'), { r: runId, f: { note: 'x' } });
    expect(again.errors?.[0]?.extensions?.code).toBe('FF_RUN_STATE');
    const named = await gql(keys.finance, DECIDE('approve'), { r: runId, n: 'gate' });
    expect(named.errors?.[0]?.extensions?.code).toBe('FF_RUN_STATE');
  });

  it('a rejection routes the items to "rejected"', async () => {
    const runId = await startApprovalRun({});
    await waitingAtGate(runId);
    const decided = await gql(keys.finance, DECIDE('reject'), { r: runId, n: 'gate', c: 'no stock' });
    expect(decided.errors).toBeUndefined();
    const run = await runView(runId, 30);
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.ok?.status).toBe('skipped');
    expect(jsonOf(run, 'no')).toEqual([
      expect.objectContaining({ order: 'A-1', decision: 'reject', by: 'fiona', comment: 'no stock', shipped: false }),
    ]);
  });

  it('refuses a caller without the role or the user name (FF_FORBIDDEN, audited), leaves the run waiting, then takes an allowed decision', async () => {
    const runId = await startApprovalRun({ users: ['carol'] });
    await waitingAtGate(runId);
    const denied = await gql(keys.sales, DECIDE('approve'), { r: runId });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FF_FORBIDDEN');
    expect(denied.errors?.[0]?.message).toContain('user "sam" may not decide approval "gate"');
    expect((await runView(runId)).nodes.gate?.status).toBe('waiting');

    // Listed by name, no role needed.
    expect((await gql(keys.carol, DECIDE('approve'), { r: runId })).errors).toBeUndefined();
    expect((await runView(runId, 30)).status).toBe('COMPLETED');
    const audit = await auditRows(runId);
    expect(audit.map((row) => row.action)).toEqual(['approval.denied', 'approval.approve']);
    expect(audit[0]?.data).toMatchObject({ user: 'sam', code: 'FF_FORBIDDEN' });
  });

  it('the validator refuses a missing required field, an unknown field and a wrong type; the run keeps waiting', async () => {
    const runId = await startApprovalRun({
      fields: { amount: { type: 'number', required: true }, urgent: { type: 'boolean' } },
    });
    await waitingAtGate(runId);
    const attempts = [{}, { amount: 5, colour: 'red' }, { amount: '5' }, { amount: 5, urgent: 'yes' }];
    for (const fields of attempts) {
      const refused = await gql(keys.finance, DECIDE('approve'), { r: runId, f: fields });
      expect(refused.errors?.[0]?.extensions?.code, JSON.stringify(fields)).toBe('FF_APPROVAL_INVALID');
    }
    const missing = await gql(keys.finance, DECIDE('approve'), { r: runId });
    expect(missing.errors?.[0]?.message).toContain('"amount" is required');
    expect((await runView(runId)).nodes.gate?.status).toBe('waiting');

    expect(
      (await gql(keys.finance, DECIDE('approve'), { r: runId, f: { amount: 5, urgent: true } })).errors,
    ).toBeUndefined();
    const run = await runView(runId, 30);
    expect(jsonOf(run, 'gate', 'approved')[0]).toMatchObject({ fields: { amount: 5, urgent: true } });
  });

  it('refuses a decision not signed by the control plane, sent straight to Temporal', async () => {
    const runId = await startApprovalRun({});
    await waitingAtGate(runId);
    const claims: DecisionClaims = {
      runId,
      nodeId: 'gate',
      decision: 'approve',
      by: 'mallory',
      roles: ['admin'],
      issuedAt: new Date().toISOString(),
    };
    const forged = signDecisionToken(claims, generateKeyPairSync('ed25519').privateKey);
    const handle = temporal.workflow.getHandle(runId);
    await expect(handle.executeUpdate(DECIDE_UPDATE, { args: [forged] })).rejects.toMatchObject({
      cause: { type: 'FF_APPROVAL_INVALID', message: expect.stringContaining('not signed') },
    });
    // A valid signature over claims changed afterwards is refused too.
    const genuine = signDecisionToken(claims, loadRunSigningKeys({ home: stack.home }).privateKey);
    const tampered = { ...genuine, claims: genuine.claims.replace('mallory', 'malloryy') };
    await expect(handle.executeUpdate(DECIDE_UPDATE, { args: [tampered] })).rejects.toMatchObject({
      cause: { type: 'FF_APPROVAL_INVALID' },
    });
    // Genuine signatures, wrong target: another run, a node that is not waiting.
    const signingKey = loadRunSigningKeys({ home: stack.home }).privateKey;
    const otherRun = signDecisionToken({ ...claims, runId: 'run-elsewhere' }, signingKey);
    await expect(handle.executeUpdate(DECIDE_UPDATE, { args: [otherRun] })).rejects.toMatchObject({
      cause: { type: 'FF_APPROVAL_INVALID', message: expect.stringContaining('signed for run "run-elsewhere"') },
    });
    const otherNode = signDecisionToken({ ...claims, nodeId: 'start' }, signingKey);
    await expect(handle.executeUpdate(DECIDE_UPDATE, { args: [otherNode] })).rejects.toMatchObject({
      cause: { type: 'FF_RUN_STATE', message: 'node "start" is not waiting for an approval (waiting: "gate")' },
    });
    expect((await runView(runId)).nodes.gate?.status).toBe('waiting');
    await handle.terminate('test over');
  });

  it('after the timeout, onTimeout "reject" and "approve" route the items as decided by system:timeout', async () => {
    const [rejectRun, approveRun] = await Promise.all([
      startApprovalRun({ timeout: '2s' }),
      startApprovalRun({ timeout: '2s', onTimeout: 'approve' }),
    ]);
    const waiting = await waitingAtGate(rejectRun);
    expect(waiting.nodes.gate?.waiting).toMatchObject({ onTimeout: 'reject', until: expect.any(String) });
    const [rejected, approved] = await Promise.all([runView(rejectRun, 30), runView(approveRun, 30)]);
    expect(jsonOf(rejected, 'no')).toEqual([expect.objectContaining({ decision: 'reject', by: 'system:timeout' })]);
    expect(rejected.nodes.ok?.status).toBe('skipped');
    expect(jsonOf(approved, 'ok')).toEqual([expect.objectContaining({ decision: 'approve', by: 'system:timeout' })]);
  });

  it('after the timeout, onTimeout "fail" fails the node with FF_APPROVAL_TIMEOUT', async () => {
    const runId = await startApprovalRun({ timeout: '2s', onTimeout: 'fail' });
    const run = await runView(runId, 30);
    expect(run.status).toBe('FAILED');
    expect(run.nodes.gate).toMatchObject({ status: 'failed', error: { code: 'FF_APPROVAL_TIMEOUT' } });
  });

  it('approvals lists exactly the waiting runs the caller may decide', async () => {
    const mine = await Promise.all([startApprovalRun({ message: 'one' }), startApprovalRun({ message: 'two' })]);
    const notMine = await startApprovalRun({ roles: ['legal'] });
    await Promise.all([...mine, notMine].map(waitingAtGate));
    const list = (key: string) =>
      gql<{ approvals: Array<{ runId: string; nodeId: string; message: string; roles: string[] }> }>(
        key,
        '{ approvals { runId workflow { name } nodeId message roles users fields onTimeout since until } }',
      ).then((result) => result.data?.approvals ?? []);
    const runIdsOf = (approvals: Array<{ runId: string }>) => approvals.map((a) => a.runId).sort();

    // Visibility catches up with the search attribute shortly after the node starts waiting.
    const listed = await eventually(
      () => list(keys.finance),
      (approvals) => approvals.length >= 2,
    );
    expect(runIdsOf(listed)).toEqual([...mine].sort());
    expect(listed[0]).toMatchObject({ nodeId: 'gate', roles: ['finance'] });
    expect(runIdsOf(await list(keys.sales))).toEqual([]);
    expect(
      runIdsOf(
        await eventually(
          () => list(stack.apiKey),
          (a) => a.length >= 3,
        ),
      ),
    ).toEqual([...mine, notMine].sort());

    await gql(keys.finance, DECIDE('approve'), { r: mine[0] });
    const after = await eventually(
      () => list(keys.finance),
      (approvals) => approvals.length === 1,
    );
    expect(runIdsOf(after)).toEqual([mine[1]]);
    await Promise.all([mine[1], notMine].map((id) => temporal.workflow.getHandle(id as string).terminate('test over')));
  });
});

describe('signed single-use approval links', () => {
  it('GET shows the decision without making it, POST makes it once, a second POST answers 410', async () => {
    const runId = await startApprovalRun({});
    await waitingAtGate(runId);
    const issued = await gql<{ approvalLink: string }>(
      keys.finance,
      'mutation ($r: ID!) { approvalLink(runId: $r, decision: "approve") }',
      { r: runId },
    );
    const link = issued.data?.approvalLink ?? '';
    expect(link).toMatch(new RegExp(`^${stack.url}/approvals/[\\w-]+\\.[\\w-]+$`));

    const shown = await fetch(link);
    expect(await shown.json()).toEqual({ runId, nodeId: 'gate', decision: 'approve', by: 'fiona' });
    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<form method="post">');
    expect((await runView(runId)).nodes.gate?.status).toBe('waiting');

    // What the page's button sends: an empty form.
    const used = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(used.status).toBe(200);
    expect(await used.json()).toMatchObject({ decided: true, decision: 'approve', by: 'fiona' });
    const run = await runView(runId, 30);
    expect(jsonOf(run, 'ok')).toEqual([expect.objectContaining({ decision: 'approve', by: 'fiona' })]);

    const again = await fetch(link, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ error: { code: 'FF_APPROVAL_LINK_USED' } });
    expect((await auditRows(runId)).map((row) => [row.action, row.actor])).toEqual([
      ['approval.link', 'api-key:fin'],
      ['approval.approve', 'approval-link:fiona'],
    ]);
  });

  it('refuses a tampered link, and a link for someone who may not decide', async () => {
    const runId = await startApprovalRun({});
    await waitingAtGate(runId);
    const { data } = await gql<{ approvalLink: string }>(
      keys.finance,
      'mutation ($r: ID!) { approvalLink(runId: $r, nodeId: "gate", decision: "reject") }',
      { r: runId },
    );
    const link = data?.approvalLink ?? '';
    const [payload = '', signature = ''] = (link.split('/approvals/')[1] ?? '').split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, decision: 'approve' })).toString('base64url');
    const tampered = await fetch(`${stack.url}/approvals/${forgedPayload}.${signature}`, { method: 'POST' });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ error: { code: 'FF_APPROVAL_INVALID' } });
    // Forms that decode to the same bytes are not the link: only its canonical text verifies.
    for (const [what, form] of Object.entries(nonCanonicalForms(`${payload}.${signature}`))) {
      for (const method of ['GET', 'POST']) {
        const answer = await fetch(`${stack.url}/approvals/${form}`, { method });
        expect(answer.status, `${method} with ${what}`).toBe(400);
        expect(await answer.json()).toMatchObject({ error: { code: 'FF_APPROVAL_INVALID' } });
      }
    }
    expect((await fetch(link)).status).toBe(200);

    // Lifetimes are capped: the longest allowed is issued, one second more is refused.
    const longest = await gql<{ approvalLink: string }>(
      keys.finance,
      'mutation ($r: ID!, $t: Int) { approvalLink(runId: $r, decision: "reject", ttlSeconds: $t) }',
      { r: runId, t: MAX_LINK_TTL_SECONDS },
    );
    const longestClaims = JSON.parse(
      Buffer.from(longest.data?.approvalLink.split('/approvals/')[1]?.split('.')[0] ?? '', 'base64url').toString(),
    );
    expect(Date.parse(longestClaims.expiresAt) - Date.now()).toBeGreaterThan((MAX_LINK_TTL_SECONDS - 60) * 1000);
    const tooLong = await gql(
      keys.finance,
      'mutation ($r: ID!, $t: Int) { approvalLink(runId: $r, decision: "reject", ttlSeconds: $t) }',
      { r: runId, t: MAX_LINK_TTL_SECONDS + 1 },
    );
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'FF_BAD_INPUT', path: ['ttlSeconds'] });

    const denied = await gql(keys.sales, 'mutation ($r: ID!) { approvalLink(runId: $r, decision: "approve") }', {
      r: runId,
    });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FF_FORBIDDEN');
    expect((await runView(runId)).nodes.gate?.status).toBe('waiting');
    await temporal.workflow.getHandle(runId).terminate('test over');
  });
});
