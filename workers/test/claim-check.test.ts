import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_JSON_DEPTH } from '@flowforge/connectors-sdk';
import { isArtifactRef, RUN_STATE_QUERY, type RunDagResult, type RunState } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

describe('claim check', () => {
  it('moves a 20 MB output through three nodes while the history stays small', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'claim-check',
        [
          { id: 'big', type: 'test.big', params: { megabytes: 20 } },
          { id: 'pass1', type: 'core.noop' },
          { id: 'pass2', type: 'core.noop' },
          { id: 'measure', type: 'test.measure' },
        ],
        [
          { from: 'start', to: 'big' },
          { from: 'big', to: 'pass1' },
          { from: 'pass1', to: 'pass2' },
          { from: 'pass2', to: 'measure' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      for (const id of ['big', 'pass1', 'pass2']) {
        const output = state.nodes[id]?.output?.main;
        expect(isArtifactRef(output), `${id} output is a reference`).toBe(true);
      }
      const count = 20 * 1024;
      expect(result.outputs.measure?.main).toEqual([
        { json: { items: count, bytes: expect.any(Number), last: count - 1 } },
      ]);
      const [measured] = (result.outputs.measure?.main ?? []) as Array<{ json: { bytes: number } }>;
      expect(measured?.json.bytes).toBeGreaterThan(20_000_000);
      const history = await handle.fetchHistory();
      expect(Buffer.byteLength(JSON.stringify(history))).toBeLessThan(1_000_000);
    });
  });

  it('keeps outputs under the threshold inline', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'inline',
        [{ id: 'small', type: 'test.big', params: { megabytes: 0.01 } }],
        [{ from: 'start', to: 'small' }],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(Array.isArray(result.outputs.small?.main)).toBe(true);
    });
  });

  it('fails a node whose many inline inputs together are too big for history, instead of hanging', async () => {
    const sources = Array.from({ length: 8 }, (_, index) => `part${index}`);
    const run = prepareRun(
      env,
      dagOf(
        'fan-in-too-big',
        [
          // Each just under the 256 KiB threshold, so each stays inline; together about 1.9 MB.
          ...sources.map((id) => ({ id, type: 'test.big', params: { megabytes: 0.23 } })),
          { id: 'all', type: 'core.noop' },
        ],
        [...sources.map((id) => ({ from: 'start', to: id })), ...sources.map((id) => ({ from: id, to: 'all' }))],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.message).toContain('too big to pass through Temporal history');
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.all).toMatchObject({ status: 'failed', error: { code: 'FF_INTERNAL' } });
    });
  });

  it('fails the node with FF_ARTIFACT_MISSING when a stored input is gone', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'missing-artifact',
        [
          { id: 'big', type: 'test.big', params: { megabytes: 1 } },
          { id: 'wait', type: 'core.wait', params: { for: '2s' } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'big' },
          { from: 'big', to: 'wait' },
          { from: 'wait', to: 'after' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await waitForState(handle, (state) => state.nodes.wait?.status === 'waiting');
      // Every output of the run so far, including the one `wait` passes on once its timer fires.
      await rm(join(env.artifactsDir, run.runId), { recursive: true });
      await expect(handle.result()).rejects.toThrow();
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.after?.error?.code).toBe('FF_ARTIFACT_MISSING');
    });
  });

  it('fails a node whose output nests past the depth limit, once and with the path, and passes one at the limit', async () => {
    // core.code returns { v: … }: an item's json is 1 + depth deep, the item itself one more.
    const deepCode = (depth: number) => `let v = 1; for (let i = 0; i < ${depth}; i++) v = { a: v }; return { v };`;
    const run = prepareRun(
      env,
      dagOf(
        'deep-output',
        [
          { id: 'atLimit', type: 'core.code', params: { code: deepCode(MAX_JSON_DEPTH - 1) } },
          {
            id: 'deep',
            type: 'core.code',
            params: { code: deepCode(5_000) },
            retry: { maxAttempts: 3, initialInterval: '100ms' },
          },
        ],
        [
          { from: 'start', to: 'atLimit' },
          { from: 'atLimit', to: 'deep' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const failure = await runFailure(handle);
      expect(failure.message).toContain('node "deep"');
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.atLimit?.status).toBe('succeeded');
      expect(state.nodes.deep).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { code: 'FF_OUTPUT_TOO_DEEP', retryable: false, path: ['main', 0, 'json', 'v', ...Array(63).fill('a')] },
      });
      expect(state.nodes.deep?.error?.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    });
  });
});
