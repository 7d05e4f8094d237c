import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { waitFor } from '../stack/ports.ts';
import { graphqlClient } from '../test-env/graphql-client.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';

/**
 * A parent run waits for its child run (core.executeWorkflow) while the child sleeps on a timer;
 * the only worker is SIGKILLed then, and a new one takes over. The child wakes and completes, the
 * parent gets its result, then fails on purpose and starts its error workflow. Each child and error
 * run is started exactly once: the starts are commands in the parent's history, not worker memory.
 */

const trigger = { id: 'start', type: 'trigger.manual' };

function chain(name: string, nodes: Array<Record<string, unknown>>, settings: Record<string, unknown> = {}) {
  const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index]?.id, to: node.id }));
  return { schemaVersion: 1, name, settings, nodes, edges };
}

let env: FaultEnvironment | undefined;

beforeAll(async () => {
  env = await startFaultEnvironment({
    temporalBin: inject('temporalBin'),
    postgresUrl: inject('postgresUrl'),
    name: 'fault-child-runs',
    // Unused here (no charge or wait runs from fault-workflows.ts).
    answerAfterMs: 0,
    waitFor: '1s',
  });
});

afterAll(async () => env?.stop());

describe('child and error runs across a worker kill', () => {
  it('completes the child, hands its result to the parent and starts the error workflow once', async () => {
    const stack = env as FaultEnvironment;
    onTestFailed(() => console.log(stack.logs.slice(-80).join('\n')));
    const { controlPlane } = stack;
    const graphql = graphqlClient(controlPlane.url, controlPlane.apiKey);
    await controlPlane.pushWorkflow(chain('fault-on-error', [{ id: 'caught', type: 'trigger.error' }]));
    await controlPlane.pushWorkflow(
      chain('fault-child', [
        trigger,
        { id: 'sleep', type: 'core.wait', params: { for: '8s' } },
        { id: 'made', type: 'core.set', params: { values: { made: '=by {{ $json.who }}' } } },
      ]),
    );
    await controlPlane.pushWorkflow(
      chain(
        'fault-parent',
        [
          trigger,
          { id: 'call', type: 'core.executeWorkflow', params: { workflow: 'fault-child', input: { who: 'parent' } } },
          { id: 'boom', type: 'core.stopAndError', params: { message: '=after {{ $json.made }}' } },
        ],
        { errorWorkflow: 'fault-on-error' },
      ),
    );

    const worker1 = await stack.startWorker('worker-1');
    const runId = await controlPlane.startRun('fault-parent', {});
    let childId = '';
    await waitFor('the child sleeping', 60_000, async () => {
      childId = (await controlPlane.getRun(runId)).nodes.call?.childRun ?? '';
      if (!childId) return undefined;
      return (await controlPlane.getRun(childId)).nodes.sleep?.status === 'waiting' ? true : undefined;
    });
    await worker1.kill('SIGKILL');
    expect(await worker1.exited).toBe('SIGKILL');

    await stack.startWorker('worker-2');
    const [parent, child] = (await stack.awaitRuns([runId, childId], 120_000)).results;
    expect(child?.status).toBe('COMPLETED');
    expect(parent?.status).toBe('FAILED');
    expect(parent?.nodes.call?.output?.main?.[0]?.json).toMatchObject({ made: 'by parent' });
    expect(parent?.nodes.boom?.error?.message).toBe('after by parent');

    const view = await graphql<{ run: { errorRun: string | null } }>('query ($id: ID!) { run(id: $id) { errorRun } }', {
      id: runId,
    });
    const errorRunId = view.run.errorRun as string;
    expect(errorRunId).toMatch(/^run-/);
    const [errorRun] = (await stack.awaitRuns([errorRunId], 60_000)).results;
    expect(errorRun?.status).toBe('COMPLETED');
    expect(errorRun?.nodes.caught?.output?.main?.[0]?.json).toMatchObject({ run: { id: runId }, node: { id: 'boom' } });

    // Started exactly once each: Temporal's own count of runDag executions per FlowForge workflow.
    const connection = await Connection.connect({ address: stack.temporal.address });
    try {
      const client = new Client({ connection });
      const count = async (workflow: string) =>
        (await client.workflow.count(`FlowForgeWorkflow = '${workflow}'`)).count;
      await waitFor('visibility to show the error run', 30_000, async () =>
        (await count('fault-on-error')) > 0 ? true : undefined,
      );
      expect(await count('fault-child')).toBe(1);
      expect(await count('fault-on-error')).toBe(1);
    } finally {
      await connection.close();
    }
    console.log(
      `child-runs-across-restart: 3 runs (parent, child, error run); worker-1 SIGKILLed while the child slept, worker-2 ` +
        `completed the child (${child?.status}), the parent (${parent?.status}, on purpose) and its error run (${errorRun?.status}); ` +
        'Temporal counts one child run and one error run',
    );
  }, 240_000);
});
