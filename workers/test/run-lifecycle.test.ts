import {
  RUN_STATE_QUERY,
  type RunDagResult,
  type RunState,
  WORKFLOW_NAME_KEY,
  WORKFLOW_VERSION_KEY,
} from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  startRun,
  waitForState,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

const sleeper = (name: string, extra: Record<string, unknown> = {}, ignoreAbort = false) =>
  dagOf(
    name,
    [{ id: 'slow', type: 'test.sleep', params: { ms: 60_000, ignoreAbort } }],
    [{ from: 'start', to: 'slow' }],
    extra,
  );

describe('run lifecycle', () => {
  it('ends TIMED_OUT when the run passes settings.timeout', async () => {
    const run = prepareRun(env, sleeper('run-timeout', { settings: { timeout: '2s' } }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await expect(handle.result()).rejects.toThrow();
      expect((await handle.describe()).status.name).toBe('TIMED_OUT');
    });
  });

  it('cancels the running node when the run is cancelled and ends CANCELLED', async () => {
    const run = prepareRun(env, sleeper('cancel'));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await waitForState(handle, (state) => state.nodes.slow?.status === 'running');
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
      expect((await handle.describe()).status.name).toBe('CANCELLED');
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.status).toBe('CANCELLED');
      expect(state.nodes.slow).toMatchObject({ status: 'failed', error: { code: 'FF_NODE_FAILED' } });
      const history = await handle.fetchHistory();
      expect((history.events ?? []).some((event) => event.activityTaskCancelRequestedEventAttributes)).toBe(true);
    });
  });

  it('waits durably on core.wait with a timer, showing the node as waiting until then', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'wait',
        [
          { id: 'pause', type: 'core.wait', params: { for: '1s' } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'pause' },
          { from: 'pause', to: 'after' },
        ],
      ),
      { order: 7 },
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const waiting = await waitForState(handle, (state) => state.nodes.pause?.status === 'waiting');
      expect(waiting.nodes.pause?.waitingUntil).toBeTypeOf('string');
      expect(waiting.nodes.after?.status).toBe('pending');
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.after?.main).toEqual([{ json: { order: 7 } }]);
      const history = await handle.fetchHistory();
      expect((history.events ?? []).filter((event) => event.timerStartedEventAttributes)).toHaveLength(1);
    });
  });

  it('sets the workflow name and version search attributes on the run', async () => {
    const run = prepareRun(env, dagOf('searchable', [], []));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(WORKFLOW_NAME_KEY)).toBe('searchable');
      expect(description.typedSearchAttributes.get(WORKFLOW_VERSION_KEY)).toBe(1);
    });
  });
});
