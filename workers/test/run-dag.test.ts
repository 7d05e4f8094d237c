import { RUN_STATE_QUERY, type RunDagResult, type RunState } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  scheduledActivities,
  startRun,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

const jsonOf = (output: unknown) => (output as Array<{ json: unknown }>).map((item) => item.json);

describe('runDag walks the DAG', () => {
  it('runs a linear chain and reports every node succeeded with its output', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'linear',
        [
          { id: 'greet', type: 'core.set', params: { values: { greeting: 'hello' } } },
          { id: 'tag', type: 'core.set', params: { values: { tagged: true } } },
        ],
        [
          { from: 'start', to: 'greet' },
          { from: 'greet', to: 'tag' },
        ],
      ),
      { name: 'Ada' },
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(jsonOf(result.outputs.tag?.main)).toEqual([{ name: 'Ada', greeting: 'hello', tagged: true }]);
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.status).toBe('COMPLETED');
      expect(Object.values(state.nodes).map((node) => [node.status, node.attempts])).toEqual([
        ['succeeded', 1],
        ['succeeded', 1],
        ['succeeded', 1],
      ]);
      expect(state.nodes.greet?.startedAt).toBeTypeOf('string');
      expect(state.nodes.greet?.finishedAt).toBeTypeOf('string');
      // One executeNode per node (pure nodes like these run as local activities).
      expect(await scheduledActivities(handle)).toEqual(['executeNode', 'executeNode', 'executeNode']);
    });
  });

  it('skips the branch an If did not take and everything only that branch feeds', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'branches',
        [
          { id: 'isBig', type: 'core.if', params: { condition: false } },
          { id: 'review', type: 'core.set', params: { values: { route: 'review' } } },
          { id: 'afterReview', type: 'core.noop' },
          { id: 'auto', type: 'core.set', params: { values: { route: 'auto' } } },
        ],
        [
          { from: 'start', to: 'isBig' },
          { from: 'isBig', fromPort: 'true', to: 'review' },
          { from: 'review', to: 'afterReview' },
          { from: 'isBig', fromPort: 'false', to: 'auto' },
        ],
      ),
      { total: 10 },
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.review?.status).toBe('skipped');
      expect(state.nodes.afterReview?.status).toBe('skipped');
      expect(state.nodes.auto?.status).toBe('succeeded');
      expect(jsonOf(state.nodes.auto?.output?.main)).toEqual([{ total: 10, route: 'auto' }]);
    });
  });

  it('runs a Merge with the one input that is live when the other branch was skipped', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'merge-dead-input',
        [
          { id: 'isBig', type: 'core.if', params: { condition: true } },
          { id: 'review', type: 'core.set', params: { values: { route: 'review' } } },
          { id: 'auto', type: 'core.set', params: { values: { route: 'auto' } } },
          { id: 'done', type: 'core.merge', params: { mode: 'append' } },
        ],
        [
          { from: 'start', to: 'isBig' },
          { from: 'isBig', fromPort: 'true', to: 'review' },
          { from: 'isBig', fromPort: 'false', to: 'auto' },
          { from: 'review', to: 'done', toPort: 'in1' },
          { from: 'auto', to: 'done', toPort: 'in2' },
        ],
      ),
      { total: 5000 },
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.auto?.status).toBe('skipped');
      expect(state.nodes.done?.status).toBe('succeeded');
      expect(jsonOf(result.outputs.done?.main)).toEqual([{ total: 5000, route: 'review' }]);
    });
  });

  it('runs independent nodes in parallel and concatenates edges into the same port', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'fan-out',
        [
          { id: 'a', type: 'test.sleep', params: { ms: 1500 } },
          { id: 'b', type: 'test.sleep', params: { ms: 1500 } },
          { id: 'c', type: 'test.sleep', params: { ms: 1500 } },
          { id: 'join', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'a' },
          { from: 'start', to: 'b' },
          { from: 'start', to: 'c' },
          { from: 'a', to: 'join' },
          { from: 'b', to: 'join' },
          { from: 'c', to: 'join' },
        ],
      ),
      { n: 1 },
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(jsonOf(result.outputs.join?.main)).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
      // Parallel means all three were started before any of them finished (no clock involved).
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      const starts = ['a', 'b', 'c'].map((id) => state.nodes[id]?.startedAt ?? '');
      const firstFinish = ['a', 'b', 'c'].map((id) => state.nodes[id]?.finishedAt ?? '').sort()[0] ?? '';
      for (const start of starts) expect(start < firstFinish).toBe(true);
    });
  });
});
