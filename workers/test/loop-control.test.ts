import { readdirSync } from 'node:fs';
import {
  PAUSE_UPDATE,
  type PortOutput,
  RESUME_UPDATE,
  type ReuseMap,
  RUN_STATE_QUERY,
  type RunDagResult,
  type RunState,
} from '@flowforge/connectors-sdk/contract';
import { contentHash, loadPrivateKey, signRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayRecorded, replayRun } from './support/history-replay.ts';
import { loopHistoriesDir as historiesDir, itemsOf as loopItemsOf, loopOver, source } from './support/loop-dags.ts';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  runFailure,
  startRun,
  waitForState,
  withWorker,
} from './support/test-runs.ts';

/** core.loop with the rest of the engine: nesting, pause, cancel, retry, and the recorded loop runs. */

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

const replays = (handle: WorkflowHandle, name: string) => replayRun(env, handle, historiesDir, name);
const itemsOf = (output: PortOutput | undefined) => loopItemsOf(output, env.artifactsDir);

describe('core.loop in a run', () => {
  it('runs a loop nested in the body of another, the inner one starting over for each outer batch', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'loop-nested',
        [
          source('numbers', [1, 2, 3, 4, 5]),
          { id: 'outer', type: 'core.loop', params: { batchSize: 2 } },
          { id: 'inner', type: 'core.loop', params: { batchSize: 1 } },
          { id: 'work', type: 'core.set', params: { values: { inner: '={{ $json.n * 10 }}' } } },
          { id: 'tag', type: 'core.set', params: { values: { outer: true } } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'numbers' },
          { from: 'numbers', to: 'outer' },
          { from: 'outer', fromPort: 'loop', to: 'inner' },
          { from: 'inner', fromPort: 'loop', to: 'work' },
          { from: 'work', to: 'inner' },
          { from: 'inner', fromPort: 'done', to: 'tag' },
          { from: 'tag', to: 'outer' },
          { from: 'outer', fromPort: 'done', to: 'after' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(await itemsOf(result.outputs.after?.main)).toEqual(
        [1, 2, 3, 4, 5].map((n) => ({ n, inner: n * 10, outer: true })),
      );
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.outer?.loop).toEqual({ iteration: 3, batches: 3, processed: 5, total: 5 });
      // The last outer batch held one item: the inner loop's last pass had one batch.
      expect(state.nodes.inner?.loop).toEqual({ iteration: 1, batches: 1, processed: 1, total: 1 });
      await replays(handle, 'nested');
    });
  });

  it('starts no new iteration while paused, and goes on after resume', async () => {
    const run = prepareRun(
      env,
      loopOver('loop-pause', [1, 2, 3, 4], 1, [{ id: 'work', type: 'test.sleep', params: { ms: 1000 } }]),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await waitForState(handle, (state) => (state.nodes.loop?.loop?.iteration ?? 0) >= 2);
      await handle.executeUpdate(PAUSE_UPDATE);
      // The batch in the body finishes; the loop node, whose turn it is now, does not emit the next.
      const paused = await waitForState(handle, (state) => state.nodes.work?.status === 'succeeded');
      const iteration = paused.nodes.loop?.loop?.iteration;
      expect(paused).toMatchObject({ paused: true, nodes: { loop: { status: 'running' }, work: { iteration } } });
      expect(iteration).toBeLessThan(4);
      await handle.executeUpdate(RESUME_UPDATE);
      const result = (await handle.result()) as RunDagResult;
      expect(await itemsOf(result.outputs.after?.main)).toEqual([1, 2, 3, 4].map((n) => ({ n })));
      await replays(handle, 'pause-resume');
    });
  });

  it('stops the running body node when the run is cancelled', async () => {
    const run = prepareRun(
      env,
      loopOver('loop-cancel', [1, 2, 3], 1, [{ id: 'work', type: 'test.sleep', params: { ms: 60_000 } }]),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await waitForState(handle, (state) => state.nodes.work?.status === 'running');
      await handle.cancel();
      expect((await runFailure(handle)).message).toMatch(/cancel/i);
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.status).toBe('CANCELLED');
      expect(state.nodes.work?.status).toBe('failed');
      expect(state.nodes.loop).toMatchObject({ status: 'failed', loop: { iteration: 1 } });
      expect(state.nodes.after?.status).toBe('pending');
    });
  });

  it('on retry runs again a loop that had not emitted done, body included, even where the body had succeeded', async () => {
    // What the control plane would send after a run failed in the loop's second batch.
    const reuse: ReuseMap = {
      start: { main: [{ json: {} }] },
      numbers: { main: [1, 2].map((n) => ({ json: { n } })) },
      mark: { main: [{ json: { n: 1, stale: true } }] },
    };
    const run = prepareRun(
      env,
      loopOver('loop-retry', [1, 2], 1, [{ id: 'mark', type: 'core.set', params: { values: { seen: true } } }]),
      {},
      (request) =>
        signRunRequest({ ...request, reuseHash: contentHash(reuse) }, loadPrivateKey(env.keys.privateKeyPem)),
    );
    run.input.reuse = reuse;
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(await itemsOf(result.outputs.after?.main)).toEqual([
        { n: 1, seen: true },
        { n: 2, seen: true },
      ]);
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.numbers?.reused).toBe(true);
      expect(state.nodes.mark?.reused).toBeUndefined();
      expect(state.nodes.loop?.reused).toBeUndefined();
    });
  });

  it.each(readdirSync(historiesDir).filter((file) => file.endsWith('.json')))(
    'replays the recorded loop run %s',
    (file) => replayRecorded(env, historiesDir, file),
  );
});
