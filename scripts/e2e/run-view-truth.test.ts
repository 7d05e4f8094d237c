import { type RunView, RunViewSchema } from '@flowforge/connectors-sdk/contract';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';

/**
 * Issue 12, item 8: a run view that never lies. A finished run's nodes come from its history when
 * no worker answers its query; a run that does not move says why (its workflow task keeps failing,
 * with Temporal's cause), and "no worker" only when none polls its task queue.
 */
const FIELDS = 'runId status workflow { name version } nodes error note';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

async function view(runId: string, wait = 0): Promise<RunView> {
  const data = await stack.graphql<{ run: unknown }>(
    `query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { ${FIELDS} } }`,
    { id: runId, w: wait },
  );
  return RunViewSchema.parse(data.run);
}

async function startHello(): Promise<string> {
  const name = uniqueName('truth');
  await stack.graphql(`mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }`, {
    d: {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'greet', type: 'core.set', params: { values: { greeting: '=Hello, {{ $json.name }}!' } } },
      ],
      edges: [{ from: 'start', to: 'greet' }],
    },
  });
  const data = await stack.graphql<{ startRun: { runId: string } }>(
    `mutation ($w: String!) { startRun(workflow: $w, input: { name: "Ada" }) { runId } }`,
    { w: name },
  );
  return data.startRun.runId;
}

describe('the run view without a worker to answer', () => {
  it("shows a finished run's nodes from its history, and says so", async () => {
    const runId = await startHello();
    const done = await view(runId, 30);
    expect(done.status).toBe('COMPLETED');
    expect(done.note).toBeUndefined();

    await stack.stopWorker();
    const later = await view(runId);
    expect(later.status).toBe('COMPLETED');
    expect(later.nodes.greet).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      output: { main: [{ json: { name: 'Ada', greeting: 'Hello, Ada!' } }] },
    });
    expect(later.nodes.start?.status).toBe('succeeded');
    expect(later.note).toMatch(/rebuilt from the run's history/);
  });

  it("says a run whose workflow task keeps failing is stuck, with Temporal's cause, not that no worker runs", async () => {
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const broken = await Worker.create({
      connection,
      taskQueue: stack.taskQueue,
      workflowsPath: new URL('../../workers/test/support/broken-workflows.ts', import.meta.url).pathname,
    });
    await broken.runUntil(async () => {
      const runId = await startHello();
      const deadline = Date.now() + 60_000;
      let stuck = await view(runId);
      while (!/stuck/.test(stuck.note ?? '') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        stuck = await view(runId);
      }
      expect(stuck.status).toBe('RUNNING');
      expect(stuck.note).toMatch(
        /the run is stuck: its workflow task failed \d+ times? \(.*a bug in the workflow code/,
      );
      expect(stuck.note).not.toMatch(/no worker/);
      await stack
        .graphql(`mutation ($id: ID!) { cancelRun(id: $id) { status } }`, { id: runId })
        .catch(() => undefined);
    });
    await connection.close();
  });
});
