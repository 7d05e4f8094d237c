import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  PAUSE_UPDATE,
  RESUME_UPDATE,
  type ReuseMap,
  RUN_STATE_QUERY,
  type RunDagResult,
  type RunState,
} from '@flowforge/connectors-sdk/contract';
import { contentHash, loadPrivateKey, signRunRequest } from '@flowforge/connectors-sdk/run-request';
// The SDK's own history JSON (as record-histories.ts writes it): what replay reads.
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../../scripts/test-env/http-test-server.ts';
import { replayRecorded, replayRun } from './support/history-replay.ts';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  runFailure,
  scheduledActivities,
  startRun,
  waitForState,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
let server: HttpTestServer;
beforeAll(async () => {
  [env, server] = await Promise.all([createEngineTestEnv(), startHttpTestServer()]);
});
afterAll(async () => {
  await Promise.all([env?.close(), server?.close()]);
});

/**
 * Replay safety of run control: every run below is replayed against today's runDag right after it
 * ended, and the histories committed in run-control-histories/ (written by these tests with
 * FLOWFORGE_RECORD_HISTORIES=1) are replayed too, so a later change that breaks paused or retried
 * runs in flight fails here (gate it with patched()).
 */
const historiesDir = join(import.meta.dirname, 'run-control-histories');

const replays = (handle: WorkflowHandle, name: string) => replayRun(env, handle, historiesDir, name);

/** start → a (GET url) → b (core.set) */
const twoSteps = (name: string, url: string) =>
  dagOf(
    name,
    [
      { id: 'a', type: 'http.request', params: { url } },
      { id: 'b', type: 'core.set', params: { values: { done: true } } },
    ],
    [
      { from: 'start', to: 'a' },
      { from: 'a', to: 'b' },
    ],
  );

describe('pause and resume', () => {
  it('lets the running node finish, starts nothing new while paused, and goes on after resume', async () => {
    const run = prepareRun(env, twoSteps('pause', `${server.url}/gate/engine-pause`));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await server.arrived('/gate/engine-pause');
      expect(await handle.executeUpdate(PAUSE_UPDATE)).toEqual({ paused: true });
      server.release('engine-pause');
      const paused = await waitForState(handle, (state) => state.nodes.a?.status === 'succeeded');
      // The workflow task that recorded a's result would have started b in the same step.
      expect(paused).toMatchObject({ status: 'RUNNING', paused: true, nodes: { b: { status: 'pending' } } });
      // start and a only.
      expect(await scheduledActivities(handle)).toHaveLength(2);

      expect(await handle.executeUpdate(RESUME_UPDATE)).toEqual({ paused: false });
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.b?.main).toEqual([{ json: { path: '/gate/engine-pause', hit: 1, done: true } }]);
      await replays(handle, 'pause-resume');
    });
  });

  it('ends CANCELLED when a paused run is cancelled, leaving the nodes it held back pending', async () => {
    const run = prepareRun(env, twoSteps('pause-cancel', `${server.url}/gate/engine-pause-cancel`));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await server.arrived('/gate/engine-pause-cancel');
      await handle.executeUpdate(PAUSE_UPDATE);
      server.release('engine-pause-cancel');
      await waitForState(handle, (state) => state.nodes.a?.status === 'succeeded');
      await handle.cancel();
      await expect(handle.result()).rejects.toThrow();
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state).toMatchObject({ status: 'CANCELLED', nodes: { b: { status: 'pending' } } });
      await replays(handle, 'pause-cancel');
    });
  });

  it('starts paused when continue-as-new carried the flag, and resumes', async () => {
    const run = prepareRun(env, twoSteps('carried-pause', `${server.url}/carried`));
    const pending = { status: 'pending', attempts: 0 } as const;
    // What continue-as-new hands the next execution of a paused run that had not started a node yet.
    run.input.carried = { nodes: { start: pending, a: pending, b: pending }, paused: true };
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const state = await waitForState(handle, (s) => s.paused === true);
      expect(state.nodes.start?.status).toBe('pending');
      expect(await scheduledActivities(handle)).toEqual([]);
      await handle.executeUpdate(RESUME_UPDATE);
      await handle.result();
      expect(server.hits('/carried')).toBe(1);
    });
  });

  it('refuses to pause a run that has ended', async () => {
    const run = prepareRun(env, twoSteps('pause-ended', `${server.url}/ended`));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      await expect(handle.executeUpdate(PAUSE_UPDATE)).rejects.toThrow();
    });
  });
});

describe('reused outputs (retry)', () => {
  const reuse: ReuseMap = {
    start: { main: [{ json: {} }] },
    a: { main: [{ json: { from: 'the original run' } }] },
  };

  it('marks reused nodes succeeded without running them and runs the rest', async () => {
    const run = prepareRun(env, twoSteps('reuse', `${server.url}/reuse`), {}, (request) =>
      signRunRequest({ ...request, reuseHash: contentHash(reuse) }, loadPrivateKey(env.keys.privateKeyPem)),
    );
    run.input.reuse = reuse;
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.b?.main).toEqual([{ json: { from: 'the original run', done: true } }]);
      expect(server.hits('/reuse')).toBe(0);
      expect(await scheduledActivities(handle)).toEqual(['executeNode']);
      const state = await waitForState(handle, () => true);
      expect(state.nodes.a).toMatchObject({ status: 'succeeded', reused: true });
      expect(state.nodes.b?.reused).toBeUndefined();
      await replays(handle, 'retry-reuse');
    });
  });

  it('fails with FF_RUN_SIGNATURE when the reuse map was changed after signing', async () => {
    const run = prepareRun(env, twoSteps('reuse-tampered', `${server.url}/tampered`), {}, (request) =>
      signRunRequest({ ...request, reuseHash: contentHash(reuse) }, loadPrivateKey(env.keys.privateKeyPem)),
    );
    run.input.reuse = { ...reuse, a: { main: [{ json: { from: 'someone else' } }] } };
    await withWorker(env, async (taskQueue) => {
      const failure = await runFailure(await startRun(env, run, taskQueue));
      expect(failure).toMatchObject({ type: 'FF_RUN_SIGNATURE' });
      expect(failure.message).toContain('reused node outputs');
      expect(server.hits('/tampered')).toBe(0);
    });
  });

  it('fails with FF_RUN_SIGNATURE when a reuse map is added to a request signed without one', async () => {
    const run = prepareRun(env, twoSteps('reuse-added', `${server.url}/added`));
    run.input.reuse = reuse;
    await withWorker(env, async (taskQueue) => {
      expect(await runFailure(await startRun(env, run, taskQueue))).toMatchObject({ type: 'FF_RUN_SIGNATURE' });
    });
  });
});

describe('recorded run-control histories', () => {
  const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

  it('has a history for each recorded run (pause-resume, pause-cancel, retry-reuse)', () => {
    expect(files.sort()).toEqual(['pause-cancel.json', 'pause-resume.json', 'retry-reuse.json']);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    await replayRecorded(env, historiesDir, file);
  });
});
