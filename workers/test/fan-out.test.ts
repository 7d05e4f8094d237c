import { RUN_STATE_QUERY, type RunDagResult, type RunState } from '@flowforge/connectors-sdk/contract';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAIN_FOR_CONTINUE_AS_NEW_PATCH } from '../src/workflows/dag-run.ts';
import { createEngineTestEnv, type EngineTestEnv, prepareRun, startRun, withWorker } from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

/** start → n1, n2, ... n<width> (all at once) → join: a fan-out and a fan-in of test.sleep nodes. */
function fanOut(name: string, width: number, sleepMs: (index: number) => number) {
  const nodes: Array<Record<string, unknown>> = [{ id: 'start', type: 'trigger.manual' }];
  const edges: Array<Record<string, unknown>> = [];
  for (let index = 1; index <= width; index++) {
    nodes.push({ id: `n${index}`, type: 'test.sleep', params: { ms: sleepMs(index) } });
    edges.push({ from: 'start', to: `n${index}` }, { from: `n${index}`, to: 'join' });
  }
  nodes.push({ id: 'join', type: 'core.noop' });
  return { schemaVersion: 1, name, nodes, edges };
}

interface HistoryEvent {
  activityTaskScheduledEventAttributes?: unknown;
  activityTaskCompletedEventAttributes?: unknown;
  activityTaskFailedEventAttributes?: unknown;
  activityTaskTimedOutEventAttributes?: unknown;
  activityTaskCanceledEventAttributes?: unknown;
  markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Payload[] }> };
  workflowExecutionContinuedAsNewEventAttributes?: unknown;
}

/** The ids of the patches (`patched()`) one execution's history recorded. */
function patchIds(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((event) => {
    const payload = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<{ id: string }>(payload).id] : [];
  });
}

/** The most activities one execution's history ever had scheduled and not yet closed. */
function maxOpenActivities(events: readonly HistoryEvent[]): number {
  let open = 0;
  let max = 0;
  for (const event of events) {
    if (event.activityTaskScheduledEventAttributes) max = Math.max(max, ++open);
    if (
      event.activityTaskCompletedEventAttributes ||
      event.activityTaskFailedEventAttributes ||
      event.activityTaskTimedOutEventAttributes ||
      event.activityTaskCanceledEventAttributes
    ) {
      open -= 1;
    }
  }
  return max;
}

describe('bounded fan-out', () => {
  it('never holds more nodes in flight than the worker allows, and still runs every node', async () => {
    const run = prepareRun(
      env,
      fanOut('fan-out-capped', 12, () => 50),
      { seed: 7 },
    );
    await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, run, taskQueue);
        const result = (await handle.result()) as RunDagResult;
        expect(result.outputs.join?.main).toHaveLength(12);
        const history = await handle.fetchHistory();
        expect(maxOpenActivities((history.events ?? []) as HistoryEvent[])).toBe(3);
      },
      { maxInFlightNodes: 3 },
    );
  });

  it(
    'runs a 2,500-node fan-out (past the 2,000 pending activities Temporal allows) to the end, draining before continue-as-new',
    async () => {
      // Uneven sleeps: nodes finish at different times, so some are always in flight when Temporal
      // suggests continuing as new, and the run has to drain them first.
      const run = prepareRun(
        env,
        fanOut('fan-out-2500', 2500, (index) => (index % 5) * 40),
        { seed: 1 },
      );
      await withWorker(env, async (taskQueue) => {
        const handle = await startRun(env, run, taskQueue);
        const result = (await handle.result()) as RunDagResult;
        expect(result.outputs.join?.main).toHaveLength(2500);

        // The first execution kept at most the default 500 in flight, then drained them all and
        // continued as new when Temporal suggested it (its history grows past the suggestion).
        const first = env.client.workflow.getHandle(run.runId, handle.firstExecutionRunId);
        const events = ((await first.fetchHistory()).events ?? []) as HistoryEvent[];
        expect(maxOpenActivities(events)).toBeLessThanOrEqual(500);
        expect(maxOpenActivities(events)).toBeGreaterThan(100);
        expect(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
        expect(patchIds(events)).toContain(DRAIN_FOR_CONTINUE_AS_NEW_PATCH);
        // Capped starts and the drain are decisions of workflow code: the execution replays as it ran.
        await Worker.runReplayHistory({ workflowBundle: env.bundle }, await first.fetchHistory(), run.runId);

        const state = await handle.query<RunState>(RUN_STATE_QUERY);
        expect(Object.values(state.nodes).filter((node) => node.status === 'succeeded')).toHaveLength(2502);
      });
    },
    10 * 60_000,
  );
});
