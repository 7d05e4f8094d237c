import { inlineItems, RUN_DAG_WORKFLOW, type RunDagInput, type RunView } from '@flowforge/connectors-sdk/contract';
import { Client, Connection, defaultPayloadConverter } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../test-env/http-test-server.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type LocalStack, startLocalStack } from '../test-env/local-stack.ts';

/**
 * Run control on the real stack (control plane + worker in this process, real Temporal and
 * PostgreSQL, a local HTTP server): pause/resume, cancel, retry with reuse, through GraphQL.
 */

const FIELDS = 'runId status paused reused nodes';

let stack: LocalStack;
let server: HttpTestServer;
let databaseUrl: string;
let temporal: { client: Client; connection: Connection };

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
  [stack, server] = await Promise.all([
    startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') }),
    startHttpTestServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), server?.close(), temporal?.connection.close()]);
});

/** Pushes `start → steps[0] → steps[1] → …` (http.request GETs of the given paths, then a core.set). */
async function pushChain(paths: string[]): Promise<string> {
  const name = uniqueName('control');
  const ids = paths.map((_, index) => `n${index + 1}`);
  const nodes = [
    { id: 'start', type: 'trigger.manual' },
    ...paths.map((path, index) => ({ id: ids[index], type: 'http.request', params: { url: `${server.url}${path}` } })),
    { id: 'last', type: 'core.set', params: { values: { done: true } } },
  ];
  const order = ['start', ...ids, 'last'];
  const edges = order.slice(1).map((to, index) => ({ from: order[index], to }));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: { schemaVersion: 1, name, nodes, edges },
  });
  return name;
}

async function start(workflow: string): Promise<string> {
  const { startRun } = await stack.graphql<{ startRun: RunView }>(
    'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
    { w: workflow },
  );
  return startRun.runId;
}

async function control(action: 'cancelRun' | 'pauseRun' | 'resumeRun' | 'retryRun', id: string): Promise<RunView> {
  const data = await stack.graphql<Record<string, RunView>>(
    `mutation ($id: ID!) { ${action}(id: $id) { ${FIELDS} } }`,
    {
      id,
    },
  );
  return data[action] as RunView;
}

async function run(id: string, waitSeconds = 0): Promise<RunView> {
  const { run } = await stack.graphql<{ run: RunView }>(
    `query ($id: ID!, $wait: Int) { run(id: $id, waitSeconds: $wait) { ${FIELDS} } }`,
    { id, wait: waitSeconds },
  );
  return run;
}

async function until(id: string, predicate: (view: RunView) => boolean): Promise<RunView> {
  for (let tries = 0; tries < 200; tries++) {
    const view = await run(id);
    if (predicate(view)) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${id} never reached the expected state`);
}

async function auditActions(target: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT action FROM "AuditEvent" WHERE target = $1 ORDER BY at', [target]);
    return rows.map((row: { action: string }) => row.action);
  } finally {
    await db.end();
  }
}

describe('run control through GraphQL', () => {
  it('pause lets the running node finish and starts no other until resume; the run then completes', async () => {
    const gate = uniqueName('pause');
    const workflow = await pushChain([`/gate/${gate}`]);
    const id = await start(workflow);
    await server.arrived(`/gate/${gate}`);

    const paused = await control('pauseRun', id);
    expect(paused).toMatchObject({ status: 'RUNNING', paused: true });
    server.release(gate);
    const waiting = await until(id, (view) => view.nodes.n1?.status === 'succeeded');
    expect(waiting.paused).toBe(true);
    // `last` would have started in the same workflow task that recorded n1's result.
    expect(waiting.nodes.last).toBeUndefined();

    // Once resumed the run may finish before the answer is read: only the flag is certain.
    expect((await control('resumeRun', id)).paused).toBe(false);
    expect(await run(id, 30)).toMatchObject({
      status: 'COMPLETED',
      paused: false,
      nodes: { last: { status: 'succeeded' } },
    });
    expect(await auditActions(`run:${id}`)).toEqual(['run.start', 'run.pause', 'run.resume']);
  });

  it('cancel aborts a slow http.request (the server sees the connection close) and the run ends CANCELLED', async () => {
    const gate = uniqueName('cancel');
    const id = await start(await pushChain([`/gate/${gate}`]));
    await server.arrived(`/gate/${gate}`);

    const cancelled = await control('cancelRun', id);
    expect(cancelled.status).toBe('CANCELLED');
    await server.aborted(`/gate/${gate}`);
    expect(cancelled.nodes.n1?.status).toBe('failed');
    expect(cancelled.nodes.last).toBeUndefined();
    expect(await auditActions(`run:${id}`)).toEqual(['run.start', 'run.cancel']);
  });

  it('refuses to cancel, pause or resume a run that has ended, saying why', async () => {
    const id = await start(await pushChain([`/${uniqueName('done')}`]));
    expect((await run(id, 30)).status).toBe('COMPLETED');
    for (const action of ['cancelRun', 'pauseRun', 'resumeRun'] as const) {
      await expect(control(action, id)).rejects.toThrow(/FF_RUN_STATE: .*has already ended \(COMPLETED\)/);
    }
    await expect(control('retryRun', id)).rejects.toThrow(/FF_RUN_STATE: .*COMPLETED/);
    await expect(control('cancelRun', 'run-does-not-exist')).rejects.toThrow(/FF_NOT_FOUND/);
  });

  it('retry reuses the nodes before the failed one (not called again) and runs the failed one and the rest', async () => {
    const [a, b, c] = [uniqueName('/a'), uniqueName('/b'), `/fail-first/${uniqueName('c')}`];
    const workflow = await pushChain([a, b, c]);
    const id = await start(workflow);
    const failed = await run(id, 30);
    expect(failed).toMatchObject({ status: 'FAILED', nodes: { n3: { status: 'failed' } } });
    expect(failed.nodes.last).toBeUndefined();

    const retried = await control('retryRun', id);
    expect(retried.runId).not.toBe(id);
    expect(retried.reused).toEqual(['start', 'n1', 'n2']);
    const done = await run(retried.runId, 30);
    expect(done.status).toBe('COMPLETED');
    expect(done.reused).toEqual(['start', 'n1', 'n2']);
    expect(done.nodes.n1).toMatchObject({ status: 'succeeded', reused: true });
    expect(done.nodes.n3?.reused).toBeUndefined();
    // a and b were called once (by the original run); c failed once, then answered the retry.
    expect([server.hits(a), server.hits(b), server.hits(c)]).toEqual([1, 1, 2]);
    expect(inlineItems(done.nodes.last?.output.main)).toEqual([{ json: { path: c, hit: 2, done: true } }]);
    expect(await auditActions(`run:${id}`)).toEqual(['run.start', 'run.retry']);
    expect(await auditActions(`run:${retried.runId}`)).toEqual(['run.start']);

    // The retry's signed request with a changed reuse map, started again under its run id.
    const history = await temporal.client.workflow.getHandle(retried.runId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = defaultPayloadConverter.fromPayload<RunDagInput>(payload as never);
    expect(input.signed.request).toMatchObject({ trigger: { kind: 'retry', retryOf: id } });
    const tampered: RunDagInput = { ...input, reuse: { ...input.reuse, n3: { main: [{ json: { forged: true } }] } } };
    const handle = await temporal.client.workflow.start(RUN_DAG_WORKFLOW, {
      args: [tampered],
      workflowId: retried.runId,
      taskQueue: stack.taskQueue,
    });
    await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'FF_RUN_SIGNATURE' } });
    expect(server.hits(c)).toBe(2);
  });

  it('refuses to retry a run that is still running', async () => {
    const gate = uniqueName('busy');
    const id = await start(await pushChain([`/gate/${gate}`]));
    await server.arrived(`/gate/${gate}`);
    await expect(control('retryRun', id)).rejects.toThrow(/FF_RUN_STATE: .*RUNNING/);
    server.release(gate);
    expect((await run(id, 30)).status).toBe('COMPLETED');
  });
});
