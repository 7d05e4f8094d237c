import {
  RUN_STATE_QUERY,
  type RunDagResult,
  type RunState,
  WORKFLOW_NAME_KEY,
} from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineTestEnv, type EngineTestEnv, prepareRun, startRun, withWorker } from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

/** start → n1 → n2 → ... → n<length>, every node of `type`. */
function chain(name: string, length: number, type: string, params: Record<string, unknown> = {}) {
  const nodes = [{ id: 'start', type: 'trigger.manual' }];
  const edges: Array<{ from: string; to: string }> = [];
  for (let index = 1; index <= length; index++) {
    nodes.push({ id: `n${index}`, type, ...(Object.keys(params).length > 0 ? { params } : {}) });
    edges.push({ from: index === 1 ? 'start' : `n${index - 1}`, to: `n${index}` });
  }
  return { schemaVersion: 1, name, nodes, edges };
}

describe('long runs', () => {
  it(
    'runs a 2,000-node chain to the end, continuing as new when Temporal suggests it',
    async () => {
      const run = prepareRun(env, chain('chain-2000', 2000, 'core.noop'), { seed: 42 });
      await withWorker(
        env,
        async (taskQueue) => {
          const handle = await startRun(env, run, taskQueue);
          const result = (await handle.result()) as RunDagResult;
          expect(result.outputs.n2000?.main).toEqual([{ json: { seed: 42 } }]);

          // The first execution ended by continue-as-new (the server's suggestion, not a test knob).
          const first = env.client.workflow.getHandle(run.runId, handle.firstExecutionRunId);
          const firstHistory = await first.fetchHistory();
          const last = firstHistory.events?.at(-1);
          expect(last?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
          const latest = await handle.describe();
          expect(latest.runId).not.toBe(handle.firstExecutionRunId);
          // Still findable by workflow name in Temporal Web after continue-as-new.
          expect(latest.typedSearchAttributes.get(WORKFLOW_NAME_KEY)).toBe('chain-2000');

          // The last execution's query still knows every node of the run.
          const state = await handle.query<RunState>(RUN_STATE_QUERY);
          expect(state.status).toBe('COMPLETED');
          const statuses = Object.values(state.nodes).map((node) => node.status);
          expect(statuses).toHaveLength(2001);
          expect(statuses.every((status) => status === 'succeeded')).toBe(true);
          // Remote activities, each three events: the history grows until Temporal suggests continue-as-new.
        },
        { localPureNodes: false },
      );
    },
    10 * 60_000,
  );

  it('measures the cost per node of a 50-node chain of core.set (logged, not asserted)', async () => {
    const run = prepareRun(env, chain('chain-50', 50, 'core.set', { values: { touched: true } }), { seed: 1 });
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const description = await handle.describe();
      const started = description.startTime.getTime();
      const closed = description.closeTime?.getTime() ?? started;
      const perNode = (closed - started) / 51;
      console.log(`[bench] 50-node core.set chain: ${closed - started} ms in total, ${perNode.toFixed(1)} ms per node`);
      expect(description.status.name).toBe('COMPLETED');
    });
  });
});
