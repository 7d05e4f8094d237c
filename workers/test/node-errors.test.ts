import { RUN_STATE_QUERY, type RunDagResult, type RunState } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  runFailure,
  startRun,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

/** start → node → after: the shape of most tests here. */
function oneNode(name: string, node: Record<string, unknown>) {
  return dagOf(
    name,
    [
      { id: 'node', ...node },
      { id: 'after', type: 'core.noop' },
    ],
    [
      { from: 'start', to: 'node' },
      { from: 'node', to: 'after' },
    ],
  );
}

async function finalState(handle: { query<T>(name: string): Promise<T> }) {
  return handle.query<RunState>(RUN_STATE_QUERY);
}

describe('retries, timeouts and onError', () => {
  it('retries a failing node by its retry policy and records the attempt that succeeded', async () => {
    const run = prepareRun(
      env,
      oneNode('retry', {
        type: 'test.flaky',
        params: { failures: 2 },
        retry: { maxAttempts: 4, initialInterval: '100ms', backoffCoefficient: 1 },
      }),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const state = await finalState(handle);
      expect(state.nodes.node).toMatchObject({ status: 'succeeded', attempts: 3 });
      expect(state.nodes.after?.status).toBe('succeeded');
    });
  });

  it('runs a node without a retry setting exactly once', async () => {
    const run = prepareRun(env, oneNode('no-retry', { type: 'test.flaky', params: { failures: 1 } }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.type).toBe('FF_NODE_FAILED');
      const state = await finalState(handle);
      expect(state.nodes.node).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'FF_HTTP_NETWORK' } });
    });
  });

  it('does not retry a non-retryable error even when the policy allows more attempts', async () => {
    const run = prepareRun(
      env,
      oneNode('non-retryable', {
        type: 'test.flaky',
        params: { failures: 5, code: 'FF_HTTP_STATUS', retryable: false },
        retry: { maxAttempts: 5, initialInterval: '100ms' },
      }),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await runFailure(handle);
      const state = await finalState(handle);
      expect(state.nodes.node).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'FF_HTTP_STATUS' } });
    });
  });

  it('with onError stop, fails the run with FF_NODE_FAILED naming the node, and the query still answers', async () => {
    const run = prepareRun(
      env,
      oneNode('stop', { type: 'test.flaky', params: { failures: 1, code: 'FF_STOP_AND_ERROR' }, onError: 'stop' }),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.type).toBe('FF_NODE_FAILED');
      expect(failure.message).toContain('node "node" failed: flaky node failed on attempt 1');
      const state = await finalState(handle);
      expect(state.status).toBe('FAILED');
      expect(state.error?.code).toBe('FF_NODE_FAILED');
      expect(state.nodes.after?.status).toBe('pending');
    });
  });

  it('with onError stop, cancels the nodes still running in parallel', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'stop-cancels-siblings',
        [
          { id: 'slow', type: 'test.sleep', params: { ms: 60_000 } },
          { id: 'failing', type: 'test.flaky', params: { failures: 1 } },
        ],
        [
          { from: 'start', to: 'slow' },
          { from: 'start', to: 'failing' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.message).toContain('node "failing" failed');
      const state = await finalState(handle);
      expect(state.nodes.slow).toMatchObject({
        status: 'failed',
        error: { message: 'node "slow" did not finish: node "failing" failed and stopped the run' },
      });
      const history = await handle.fetchHistory();
      expect((history.events ?? []).some((event) => event.activityTaskCancelRequestedEventAttributes)).toBe(true);
    });
  });

  it('with onError continue, passes the error on as an item on the main output', async () => {
    const run = prepareRun(
      env,
      oneNode('continue', { type: 'test.flaky', params: { failures: 1 }, onError: 'continue' }),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      const state = await finalState(handle);
      expect(state.status).toBe('COMPLETED');
      expect(state.nodes.node?.status).toBe('failed');
      expect(result.outputs.after?.main).toEqual([
        {
          json: {
            error: { code: 'FF_HTTP_NETWORK', message: 'flaky node failed on attempt 1', retryable: true },
          },
        },
      ]);
    });
  });

  it('with onError errorOutput, routes the error item to the error port and leaves main dead', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'error-output',
        [
          { id: 'node', type: 'test.flaky', params: { failures: 1 }, onError: 'errorOutput' },
          { id: 'onSuccess', type: 'core.noop' },
          { id: 'onError', type: 'core.set', params: { values: { handled: true } } },
        ],
        [
          { from: 'start', to: 'node' },
          { from: 'node', to: 'onSuccess' },
          { from: 'node', fromPort: 'error', to: 'onError' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const state = await finalState(handle);
      expect(state.nodes.onSuccess?.status).toBe('skipped');
      expect(state.nodes.onError?.status).toBe('succeeded');
      const [item] = (state.nodes.onError?.output?.main ?? []) as Array<{ json: Record<string, unknown> }>;
      expect(item?.json).toMatchObject({ handled: true, error: { code: 'FF_HTTP_NETWORK' } });
    });
  });

  it('fails a node that runs past its timeout with FF_NODE_TIMEOUT', async () => {
    const run = prepareRun(env, oneNode('node-timeout', { type: 'test.sleep', params: { ms: 20_000 }, timeout: '1s' }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.message).toContain('node "node" failed: node "node" ran past its timeout of 1s');
      const state = await finalState(handle);
      expect(state.nodes.node).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'FF_NODE_TIMEOUT' } });
    });
  });
});
