import { inlineItems, type NodeView, type RunView } from '@flowforge/connectors-sdk/contract';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type LocalStack, sharedWorkflowBundle, startLocalStack } from '../test-env/local-stack.ts';

/**
 * Child runs (core.executeWorkflow) and error workflows (settings.errorWorkflow) on the real stack:
 * control plane + worker in this process, real Temporal and PostgreSQL, through GraphQL.
 */

const FIELDS = 'runId status workflow { name version } nodes error errorRun';

let stack: LocalStack;
let temporal: { client: Client; connection: Connection };
/** Ended runs whose histories the last test replays: one that ran a child, one that started its error workflow. */
const toReplay: string[] = [];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  temporal = { connection, client: new Client({ connection }) };
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
});
afterAll(async () => {
  await Promise.all([stack?.stop(), temporal?.connection.close()]);
});

type Node = { id: string; type: string; params?: Record<string, unknown>; onError?: string };

/** Pushes a chain of nodes (each feeds the next) and returns its name. */
async function push(prefix: string, nodes: Node[], settings: Record<string, unknown> = {}): Promise<string> {
  const name = uniqueName(prefix);
  const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index]?.id, to: node.id }));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: { schemaVersion: 1, name, settings, nodes, edges },
  });
  return name;
}

async function start(workflow: string, input: unknown = {}): Promise<string> {
  const data = await stack.graphql<{ startRun: RunView }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: workflow, i: input },
  );
  return data.startRun.runId;
}

async function view(id: string, waitSeconds = 0): Promise<RunView> {
  const data = await stack.graphql<{ run: RunView }>(
    `query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { ${FIELDS} } }`,
    {
      id,
      w: waitSeconds,
    },
  );
  return data.run;
}

async function ended(id: string): Promise<RunView> {
  for (;;) {
    const run = await view(id, 60);
    if (run.status !== 'RUNNING') return run;
  }
}

/** Reads the run view until `check` passes (a child's state changes after its parent's). */
async function eventually(id: string, check: (run: RunView) => boolean): Promise<RunView> {
  for (let tries = 0; ; tries++) {
    const run = await view(id);
    if (check(run) || tries >= 100) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const trigger: Node = { id: 'start', type: 'trigger.manual' };

describe('core.executeWorkflow', () => {
  let child: string;
  beforeAll(async () => {
    child = await push('child', [
      trigger,
      { id: 'greet', type: 'core.set', params: { values: { greeting: '=Hello, {{ $json.name }}!' } } },
    ]);
  });

  it("runs the published child with the given input and outputs the child's result; the child is a run of its own", async () => {
    const parent = await push('parent', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: child, input: { name: '={{ $json.who }}' } } },
      { id: 'after', type: 'core.set', params: { values: { seen: '={{ $json.greeting }}' } } },
    ]);
    const run = await ended(await start(parent, { who: 'Ada' }));
    expect(run.status).toBe('COMPLETED');
    toReplay.push(run.runId);
    const call = run.nodes.call as NodeView;
    expect(inlineItems(call.output.main).map((item) => item.json)).toEqual([{ name: 'Ada', greeting: 'Hello, Ada!' }]);
    expect(inlineItems(run.nodes.after?.output.main)[0]?.json).toMatchObject({ seen: 'Hello, Ada!' });
    expect(call.childRun).toMatch(/^run-/);

    const childRun = await view(call.childRun as string);
    expect(childRun).toMatchObject({ status: 'COMPLETED', workflow: { name: child, version: 1 } });
    expect(inlineItems(childRun.nodes.greet?.output.main)[0]?.json).toEqual({ name: 'Ada', greeting: 'Hello, Ada!' });
    const runs = await stack.graphql<{ runs: Array<{ runId: string }> }>(
      'query ($w: String) { runs(workflow: $w) { runId } }',
      { w: child },
    );
    expect(runs.runs.map((listed) => listed.runId)).toContain(call.childRun);
  });

  it('with wait: false outputs the child run id at once, and the child runs on by itself', async () => {
    const parent = await push('parent-nowait', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: child, input: { name: 'Bo' }, wait: false } },
    ]);
    const run = await ended(await start(parent));
    expect(run.status).toBe('COMPLETED');
    const started = inlineItems(run.nodes.call?.output.main)[0]?.json;
    expect(started).toMatchObject({ workflow: child, version: 1 });
    const childRun = await ended(started?.runId as string);
    expect(childRun.status).toBe('COMPLETED');
    expect(inlineItems(childRun.nodes.greet?.output.main)[0]?.json).toMatchObject({ greeting: 'Hello, Bo!' });
  });

  it('lists a child run that nobody has looked at yet in runs of its workflow', async () => {
    const parent = await push('parent-unseen', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: child, input: { name: 'Cy' }, wait: false } },
    ]);
    const runId = await start(parent);
    const seen = async () =>
      (
        await stack.graphql<{ runs: Array<{ runId: string; nodes: Record<string, NodeView> }> }>(
          'query ($w: String) { runs(workflow: $w) { runId nodes } }',
          { w: child },
        )
      ).runs.find((run) => inlineItems(run.nodes.greet?.output.main)[0]?.json.greeting === 'Hello, Cy!');
    let listed = await seen();
    for (let tries = 0; !listed && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = await seen();
    }
    expect(listed?.runId).toMatch(/^run-/);
    // Only now is the parent looked at: it names the same child.
    expect((await ended(runId)).nodes.call?.childRun).toBe(listed?.runId);
  });

  it('fails the node with FF_CHILD_RUN_FAILED when the child fails, and its onError decides what follows', async () => {
    const failing = await push('child-fails', [
      trigger,
      { id: 'boom', type: 'core.stopAndError', params: { message: 'the child gave up' } },
    ]);
    const parent = await push('parent-of-failing', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: failing }, onError: 'continue' },
      { id: 'after', type: 'core.noop' },
    ]);
    const run = await ended(await start(parent));
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.call).toMatchObject({ status: 'failed', error: { code: 'FF_CHILD_RUN_FAILED' } });
    expect(run.nodes.call?.error?.message).toMatch(/the child gave up/);
    expect((await view(run.nodes.call?.childRun as string)).status).toBe('FAILED');
  });

  it('shows the node waiting for its child, and cancelling the parent cancels the child', async () => {
    const slow = await push('child-slow', [trigger, { id: 'sleep', type: 'core.wait', params: { for: '10m' } }]);
    const parent = await push('parent-of-slow', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: slow } },
    ]);
    const runId = await start(parent);
    const waiting = await eventually(runId, (run) => run.nodes.call?.status === 'waiting');
    expect(waiting.nodes.call?.waiting).toMatchObject({ for: 'subworkflow', runId: waiting.nodes.call?.childRun });
    const childId = waiting.nodes.call?.childRun as string;
    await eventually(childId, (run) => run.nodes.sleep?.status === 'waiting');

    await stack.graphql('mutation ($id: ID!) { cancelRun(id: $id) { runId } }', { id: runId });
    expect((await ended(runId)).status).toBe('CANCELLED');
    expect((await ended(childId)).status).toBe('CANCELLED');
  });

  it('lists a child run waiting for approval, and approving it resumes the child and then its parent', async () => {
    const gated = await push('child-gated', [
      trigger,
      { id: 'gate', type: 'core.approval', params: { message: 'ok?' } },
    ]);
    const parent = await push('parent-of-gated', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: gated, input: { order: 7 } } },
    ]);
    const runId = await start(parent);
    // Nobody has looked at the parent yet: the approvals list alone must find the child.
    let childId = '';
    for (let tries = 0; !childId && tries < 100; tries++) {
      const { approvals } = await stack.graphql<{
        approvals: Array<{ runId: string; nodeId: string; workflow: { name: string } }>;
      }>('{ approvals { runId nodeId workflow { name } } }');
      childId = approvals.find((approval) => approval.workflow.name === gated)?.runId ?? '';
      if (!childId) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(childId).toMatch(/^run-/);
    await stack.graphql('mutation ($r: ID!) { approve(runId: $r, comment: "fine") { runId } }', { r: childId });
    const run = await ended(runId);
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.call?.childRun).toBe(childId);
    expect(inlineItems(run.nodes.call?.output.main)[0]?.json).toMatchObject({
      order: 7,
      decision: 'approve',
      comment: 'fine',
    });
  });

  it('stops a workflow that runs itself at depth 8 with FF_CHILD_RUN_DEPTH', async () => {
    const name = uniqueName('recursive');
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: {
        schemaVersion: 1,
        name,
        nodes: [trigger, { id: 'again', type: 'core.executeWorkflow', params: { workflow: name } }],
        edges: [{ from: 'start', to: 'again' }],
      },
    });
    const run = await ended(await start(name));
    expect(run.status).toBe('FAILED');
    // Each level fails with its child's failure; the deepest one says why.
    expect(run.nodes.again?.error?.message).toMatch(/nested 8 deep/);
  });

  it('refuses to start a run whose child workflow does not exist, naming the node and the fix', async () => {
    const parent = await push('parent-of-nothing', [
      trigger,
      { id: 'call', type: 'core.executeWorkflow', params: { workflow: 'no-such-workflow' } },
    ]);
    await expect(start(parent)).rejects.toThrow(
      /FF_NOT_FOUND: node "call" of workflow "[^"]+" names workflow "no-such-workflow"/,
    );
  });
});

describe('settings.errorWorkflow', () => {
  it("starts the error workflow with the failed run's id, node, error and input when a run fails", async () => {
    const onError = await push('on-error', [
      { id: 'caught', type: 'trigger.error' },
      {
        id: 'report',
        type: 'core.set',
        params: { values: { alert: '={{ $json.error.code }} in {{ $json.node.id }}' } },
      },
    ]);
    const failing = await push(
      'fails',
      [trigger, { id: 'boom', type: 'core.stopAndError', params: { message: 'stock is negative' } }],
      { errorWorkflow: onError },
    );
    const run = await ended(await start(failing, { sku: 'A-1' }));
    expect(run.status).toBe('FAILED');
    toReplay.push(run.runId);
    expect(run.errorRun).toMatch(/^run-/);

    const errorRun = await ended(run.errorRun as string);
    expect(errorRun).toMatchObject({ status: 'COMPLETED', workflow: { name: onError } });
    const caught = inlineItems(errorRun.nodes.caught?.output.main)[0]?.json;
    expect(caught).toMatchObject({
      run: { id: run.runId, workflow: { name: failing, version: 1 } },
      node: { id: 'boom', type: 'core.stopAndError' },
      error: { code: 'FF_STOP_AND_ERROR', message: expect.stringMatching(/stock is negative/) },
      input: { runId: run.runId, value: { sku: 'A-1' } },
    });
    expect(inlineItems(errorRun.nodes.report?.output.main)[0]?.json).toMatchObject({
      alert: 'FF_STOP_AND_ERROR in boom',
    });
  });

  it('does not start the error workflow when the run completes or is cancelled', async () => {
    const onError = await push('on-error-unused', [{ id: 'caught', type: 'trigger.error' }]);
    const fine = await push('fine', [trigger, { id: 'ok', type: 'core.noop' }], { errorWorkflow: onError });
    const completed = await ended(await start(fine));
    expect(completed).toMatchObject({ status: 'COMPLETED', errorRun: null });

    const slow = await push('slow', [trigger, { id: 'sleep', type: 'core.wait', params: { for: '10m' } }], {
      errorWorkflow: onError,
    });
    const runId = await start(slow);
    await eventually(runId, (run) => run.nodes.sleep?.status === 'waiting');
    await stack.graphql('mutation ($id: ID!) { cancelRun(id: $id) { runId } }', { id: runId });
    expect(await ended(runId)).toMatchObject({ status: 'CANCELLED', errorRun: null });
    const runs = await stack.graphql<{ runs: unknown[] }>('query ($w: String) { runs(workflow: $w) { runId } }', {
      w: onError,
    });
    expect(runs.runs).toEqual([]);
  });

  it('refuses to start a run whose error workflow does not exist, saying which setting names it', async () => {
    const failing = await push('fails-unhandled', [trigger], { errorWorkflow: 'no-such-handler' });
    await expect(start(failing)).rejects.toThrow(/settings\.errorWorkflow names workflow "no-such-handler"/);
  });
});

describe('replay', () => {
  it('replays the histories of a run that waited for a child and of one that started its error workflow', async () => {
    expect(toReplay).toHaveLength(2);
    const workflowBundle = await sharedWorkflowBundle();
    for (const runId of toReplay) {
      const history = await temporal.client.workflow.getHandle(runId).fetchHistory();
      const events = history.events ?? [];
      expect(events.some((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(true);
      await Worker.runReplayHistory({ workflowBundle }, history, runId);
    }
  });
});
