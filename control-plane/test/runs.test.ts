import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDagInput } from '@flowforge/connectors-sdk/contract';
import { WORKFLOW_NAME_KEY, WORKFLOW_VERSION_KEY } from '@flowforge/connectors-sdk/contract';
import { loadPublicKey, verifyRunRequest } from '@flowforge/connectors-sdk/run-request';
import { defaultPayloadConverter } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloDefinition, startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

const PUSH = `mutation ($definition: JSON!) { pushWorkflow(definition: $definition) { workflow version hash } }`;
const START = `mutation ($workflow: String!, $version: Int, $input: JSON) {
  startRun(workflow: $workflow, version: $version, input: $input) { runId status workflow { name version } nodes startedAt } }`;
const RUN = `query ($id: ID!, $wait: Int) { run(id: $id, waitSeconds: $wait) {
  runId status workflow { name version } nodes error startedAt finishedAt note } }`;

describe('starting and reading runs (no worker on the task queue)', () => {
  let cp: TestControlPlane;
  let name: string;
  let v2Hash: string;
  beforeAll(async () => {
    cp = await startTestControlPlane();
    const v1 = helloDefinition();
    name = v1.name;
    await cp.graphql(PUSH, { definition: v1 });
    v2Hash = (await cp.graphql(PUSH, { definition: helloDefinition('=Hi {{ $json.name }}', name) })).body.data
      .pushWorkflow.hash;
  });
  afterAll(() => cp.close());

  it('starts runDag on Temporal with the run id as workflow id, the search attributes and a verifiable signed request', async () => {
    const input = { name: 'Ada' };
    const { body } = await cp.graphql(START, { workflow: name, input });
    expect(body.errors).toBeUndefined();
    const run = body.data.startRun;
    expect(run).toMatchObject({ status: 'RUNNING', workflow: { name, version: 2 }, nodes: {} });

    const handle = cp.app.flowforge.services.temporal.workflow.getHandle(run.runId);
    const description = await handle.describe();
    expect(description.type).toBe('runDag');
    expect(description.taskQueue).toBe(cp.taskQueue);
    expect(description.typedSearchAttributes.get(WORKFLOW_NAME_KEY)).toBe(name);
    expect(description.typedSearchAttributes.get(WORKFLOW_VERSION_KEY)).toBe(2);

    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const args = defaultPayloadConverter.fromPayload<RunDagInput>(payload as never);
    const publicKey = loadPublicKey(readFileSync(join(cp.home, 'keys', 'run-signing.pub'), 'utf8'));
    const request = verifyRunRequest(args.signed, args.dag, args.input, publicKey);
    expect(request).toMatchObject({
      runId: run.runId,
      dagHash: v2Hash,
      trigger: { kind: 'manual', by: 'api-key:test' },
    });
    expect(args.workflow).toEqual({ name, version: 2 });
    expect(args.input).toEqual(input);
    // A tampered input no longer verifies.
    expect(() => verifyRunRequest(args.signed, args.dag, { name: 'Eve' }, publicKey)).toThrow(/input/);
  });

  it('records the run projection and an audit event', async () => {
    const run = (await cp.graphql(START, { workflow: name, version: 1 })).body.data.startRun;
    const prisma = cp.app.flowforge.services.prisma;
    const row = await prisma.run.findUnique({ where: { id: run.runId }, include: { version: true } });
    expect(row).toMatchObject({
      status: 'RUNNING',
      finishedAt: null,
      version: { version: 1 },
      trigger: { kind: 'manual', by: 'api-key:test' },
    });
    // Written in SQL (runs/unseen-runs.ts): the client reads back the instant the API answered.
    expect(row?.startedAt.toISOString()).toBe(run.startedAt);
    const audit = await prisma.auditEvent.findFirst({ where: { target: `run:${run.runId}` } });
    expect(audit).toMatchObject({ actor: 'api-key:test', action: 'run.start', data: { workflow: name, version: 1 } });
    expect(Math.abs((audit?.at.getTime() ?? 0) - Date.parse(run.startedAt))).toBeLessThan(60_000);
  });

  it('shows a run nobody works on as RUNNING, with no node states and a note saying why', async () => {
    const run = (await cp.graphql(START, { workflow: name })).body.data.startRun;
    const { body } = await cp.graphql(RUN, { id: run.runId });
    expect(body.errors).toBeUndefined();
    expect(body.data.run).toMatchObject({
      runId: run.runId,
      status: 'RUNNING',
      workflow: { name, version: 2 },
      nodes: {},
      finishedAt: null,
    });
    expect(body.data.run.note).toMatch(new RegExp(`no worker polls task queue "${cp.taskQueue}"`));
  });

  it('waits server-side up to waitSeconds and returns RUNNING when the run has not ended', async () => {
    const run = (await cp.graphql(START, { workflow: name })).body.data.startRun;
    const { body } = await cp.graphql(RUN, { id: run.runId, wait: 1 });
    expect(body.data.run.status).toBe('RUNNING');
  });

  it('reads a terminated run as CANCELLED and updates the projection', async () => {
    const run = (await cp.graphql(START, { workflow: name })).body.data.startRun;
    await cp.app.flowforge.services.temporal.workflow.getHandle(run.runId).terminate('test');
    const { body } = await cp.graphql(RUN, { id: run.runId });
    expect(body.data.run.status).toBe('CANCELLED');
    expect(body.data.run.finishedAt).not.toBeNull();
    const row = await cp.app.flowforge.services.prisma.run.findUnique({ where: { id: run.runId } });
    expect(row?.status).toBe('CANCELLED');
  });

  it('lists runs of a workflow, newest first', async () => {
    const { body } = await cp.graphql(`query ($w: String) { runs(workflow: $w, limit: 2) { runId status } }`, {
      w: name,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.runs).toHaveLength(2);
  });

  it('answers how each run was started (trigger, from its Run row) in run, runs and startRun', async () => {
    const started = await cp.graphql('mutation ($w: String!) { startRun(workflow: $w) { runId trigger } }', {
      w: name,
    });
    const manual = { kind: 'manual', by: 'api-key:test' };
    expect(started.body.data.startRun.trigger).toEqual(manual);
    const { runId } = started.body.data.startRun;
    const one = await cp.graphql('query ($id: ID!) { run(id: $id) { trigger } }', { id: runId });
    expect(one.body.data.run.trigger).toEqual(manual);
    const listed = await cp.graphql('query ($w: String) { runs(workflow: $w) { runId trigger } }', { w: name });
    expect(listed.body.data.runs[0]).toEqual({ runId, trigger: manual });
    expect(listed.body.data.runs.every((run: { trigger: unknown }) => run.trigger !== null)).toBe(true);
  });

  it('answers FF_NOT_FOUND with a hint for an unknown workflow, version or run', async () => {
    const unknown = await cp.graphql(START, { workflow: 'no-such-workflow' });
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FF_NOT_FOUND',
      hint: expect.stringMatching(/push/),
    });
    const version = await cp.graphql(START, { workflow: name, version: 9 });
    expect(version.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FF_NOT_FOUND',
      hint: expect.stringMatching(/1, 2/),
    });
    const run = await cp.graphql(RUN, { id: 'run-does-not-exist' });
    expect(run.body.errors?.[0]?.extensions.code).toBe('FF_NOT_FOUND');
  });
});
