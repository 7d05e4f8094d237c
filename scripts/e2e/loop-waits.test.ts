import { inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type LocalStack, startLocalStack } from '../test-env/local-stack.ts';

/**
 * Durable waits inside a core.loop body, on the real stack: an approval and a timer run again for
 * every batch, each iteration waiting for its own decision or its own timer.
 */

let stack: LocalStack;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
});
afterAll(async () => stack?.stop());

/** trigger → split `items` → loop (one per batch) → `step` → back into the loop; done → `after`. */
async function pushLoopAround(step: Record<string, unknown>, fromPort = 'main'): Promise<string> {
  const name = uniqueName('loop-waits');
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'split', type: 'core.splitOut', params: { field: 'items' } },
        { id: 'each', type: 'core.loop', params: { batchSize: 1 } },
        { id: 'step', ...step },
        { id: 'after', type: 'core.noop' },
      ],
      edges: [
        { from: 'start', to: 'split' },
        { from: 'split', to: 'each' },
        { from: 'each', fromPort: 'loop', to: 'step' },
        { from: 'step', fromPort, to: 'each' },
        { from: 'each', fromPort: 'done', to: 'after' },
      ],
    },
  });
  return name;
}

async function start(workflow: string, input: unknown): Promise<string> {
  const data = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: workflow, i: input },
  );
  return data.startRun.runId;
}

async function view(id: string, waitSeconds = 0): Promise<RunView> {
  const data = await stack.graphql<{ run: RunView }>(
    'query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { runId status nodes } }',
    { id, w: waitSeconds },
  );
  return data.run;
}

async function until(id: string, check: (run: RunView) => boolean): Promise<RunView> {
  for (let tries = 0; tries < 200; tries++) {
    const run = await view(id);
    if (check(run)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${id} never got there: ${JSON.stringify((await view(id)).nodes)}`);
}

describe('durable waits in a loop body', () => {
  it('waits for a new decision in every iteration; each decision goes with its own batch', async () => {
    const workflow = await pushLoopAround({ type: 'core.approval', params: { message: 'ok?' } }, 'approved');
    const runId = await start(workflow, { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    for (const n of [1, 2, 3]) {
      const waiting = await until(
        runId,
        (run) => run.nodes.step?.status === 'waiting' && run.nodes.step.iteration === n,
      );
      expect(waiting.status).toBe('RUNNING');
      await stack.graphql('mutation ($r: ID!, $c: String) { approve(runId: $r, comment: $c) { runId } }', {
        r: runId,
        c: `batch ${n}`,
      });
    }
    const run = await view(runId, 60);
    expect(run.status).toBe('COMPLETED');
    expect(inlineItems(run.nodes.each?.output.done).map((item) => [item.json.n, item.json.comment])).toEqual([
      [1, 'batch 1'],
      [2, 'batch 2'],
      [3, 'batch 3'],
    ]);
  });

  it("refuses an approval link issued for an earlier iteration's wait, and leaves the node waiting", async () => {
    const workflow = await pushLoopAround({ type: 'core.approval', params: { message: 'ok?' } }, 'approved');
    const runId = await start(workflow, { items: [{ n: 1 }, { n: 2 }] });
    await until(runId, (run) => run.nodes.step?.status === 'waiting' && run.nodes.step.iteration === 1);
    const { approvalLink } = await stack.graphql<{ approvalLink: string }>(
      'mutation ($r: ID!) { approvalLink(runId: $r, decision: "approve") }',
      { r: runId },
    );
    await stack.graphql('mutation ($r: ID!) { approve(runId: $r, comment: "first") { runId } }', { r: runId });
    await until(runId, (run) => run.nodes.step?.status === 'waiting' && run.nodes.step.iteration === 2);

    const stale = await fetch(approvalLink, { method: 'POST' });
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({
      error: { code: 'FF_RUN_STATE', message: expect.stringMatching(/which has ended; it waits again since/) },
    });
    expect((await view(runId)).nodes.step).toMatchObject({ status: 'waiting', iteration: 2 });
    await stack.graphql('mutation ($r: ID!) { approve(runId: $r, comment: "second") { runId } }', { r: runId });
    const run = await view(runId, 60);
    expect(inlineItems(run.nodes.each?.output.done).map((item) => item.json.comment)).toEqual(['first', 'second']);
  });

  it('sleeps on a timer of its own in every iteration', async () => {
    const workflow = await pushLoopAround({ type: 'core.wait', params: { for: '1s' } });
    const runId = await start(workflow, { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const run = await view(runId, 60);
    expect(run.status).toBe('COMPLETED');
    expect(inlineItems(run.nodes.each?.output.done).map((item) => item.json.n)).toEqual([1, 2, 3]);
    expect(run.nodes.step).toMatchObject({ status: 'succeeded', iteration: 3 });
  });
});
