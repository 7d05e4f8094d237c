import { generateKeyPairSync, sign } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDagResult, RunState } from '@flowforge/connectors-sdk/contract';
import {
  RESUME_WEBHOOK_UPDATE,
  type ResumeAccepted,
  type ResumeClaims,
  type ResumeDelivery,
  type ResumeToken,
} from '@flowforge/connectors-sdk/contract';
import { loadPrivateKey } from '@flowforge/connectors-sdk/run-request';
import { type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayRecorded, replayRun } from './support/history-replay.ts';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  startRun,
  waitForState,
  withWorker,
} from './support/test-runs.ts';

/**
 * runDag's webhook resume wait at engine level (no control plane): resume tokens are signed here
 * with the test's control-plane key, as the control plane does. Every run is replayed when it
 * ends, and the histories in webhook-resume-histories/ (written with FLOWFORGE_RECORD_HISTORIES=1)
 * are replayed too: a change that breaks runs waiting for their webhook fails here.
 */

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(async () => env?.close());

const historiesDir = join(import.meta.dirname, 'webhook-resume-histories');

const replays = (handle: WorkflowHandle, name: string) => replayRun(env, handle, historiesDir, name);

const hooked = (name: string, hook: Record<string, unknown>, onError?: string) =>
  dagOf(
    name,
    [
      { id: 'hook', type: 'core.wait', params: { resume: 'webhook', ...hook }, ...(onError ? { onError } : {}) },
      { id: 'after', type: 'core.set', params: { values: { after: true } } },
    ],
    [
      { from: 'start', to: 'hook' },
      { from: 'hook', to: 'after' },
    ],
  );

function token(claims: Omit<ResumeClaims, 'kind'>, key = env.keys.privateKeyPem): ResumeToken {
  const text = JSON.stringify({ kind: 'webhook-resume', ...claims });
  return { claims: text, signature: sign(null, Buffer.from(text), loadPrivateKey(key)).toString('hex') };
}

function resume(handle: WorkflowHandle, delivery: ResumeDelivery): Promise<ResumeAccepted> {
  return handle.executeUpdate<ResumeAccepted, [ResumeDelivery]>(RESUME_WEBHOOK_UPDATE, { args: [delivery] });
}

/** The validator's refusal type (an FF_* code), or 'accepted'. */
async function refusal(handle: WorkflowHandle, delivery: ResumeDelivery): Promise<string> {
  try {
    await resume(handle, delivery);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    return (error.cause as { type?: string } | undefined)?.type ?? 'untyped';
  }
}

describe('runDag waits for a resume webhook', () => {
  it('shows the node waiting for its webhook; a signed resume delivers the body as output', async () => {
    const run = prepareRun(env, hooked('resume', { timeout: '1h' }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const state = await waitForState(handle, (s) => s.nodes.hook?.status === 'waiting');
      const wait = state.nodes.hook?.waitingFor;
      expect(wait).toMatchObject({ kind: 'webhook', since: expect.any(String), until: expect.any(String) });
      const since = wait?.since ?? '';

      const genuine = token({ runId: run.runId, nodeId: 'hook', since });
      expect(await resume(handle, { token: genuine, body: { paid: true } })).toEqual({
        nodeId: 'hook',
        at: expect.any(String),
      });
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.after?.main).toEqual([{ json: { paid: true, after: true } }]);
      await replays(handle, 'resume');
    });
  });

  it('refuses forged tokens, other runs and other waits, leaving the node waiting', async () => {
    const run = prepareRun(env, hooked('refusals', {}));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const state = await waitForState(handle, (s) => s.nodes.hook?.status === 'waiting');
      const since = state.nodes.hook?.waitingFor?.since ?? '';
      const { privateKey: otherKey } = generateKeyPairSync('ed25519', {
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const body = { x: 1 };
      expect(await refusal(handle, { token: token({ runId: run.runId, nodeId: 'hook', since }, otherKey), body })).toBe(
        'FF_BAD_INPUT',
      );
      expect(await refusal(handle, { token: token({ runId: 'another-run', nodeId: 'hook', since }), body })).toBe(
        'FF_BAD_INPUT',
      );
      expect(
        await refusal(handle, {
          token: token({ runId: run.runId, nodeId: 'hook', since: '2000-01-01T00:00:00.000Z' }),
          body,
        }),
      ).toBe('FF_RESUME_LINK_USED');
      expect(await refusal(handle, { token: token({ runId: run.runId, nodeId: 'after', since }), body })).toBe(
        'FF_RESUME_LINK_USED',
      );
      const still = await handle.query<RunState>('runState');
      expect(still.nodes.hook?.status).toBe('waiting');

      const genuine = token({ runId: run.runId, nodeId: 'hook', since });
      expect(await refusal(handle, { token: genuine, body: { x: 2 } })).toBe('accepted');
      await handle.result();
      const done = await handle.query<RunState>('runState');
      expect(done.nodes.hook?.output?.main).toEqual([{ json: { x: 2 } }]);
    });
  });

  it('after the timeout the node fails with FF_RESUME_TIMEOUT, and onError "continue" passes the error on', async () => {
    const run = prepareRun(env, hooked('timeout', { timeout: '1s' }, 'continue'));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      const [item] = (result.outputs.after?.main ?? []) as Array<{ json: { error?: { code?: string } } }>;
      expect(item?.json.error?.code).toBe('FF_RESUME_TIMEOUT');
      const state = await handle.query<RunState>('runState');
      expect(state.nodes.hook).toMatchObject({
        status: 'failed',
        error: { code: 'FF_RESUME_TIMEOUT', retryable: false },
      });
      await replays(handle, 'timeout');
    });
  });
});

describe('recorded webhook resume histories', () => {
  const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

  it('has a history for each recorded run (resume, timeout)', () => {
    expect(files.sort()).toEqual(['resume.json', 'timeout.json']);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    await replayRecorded(env, historiesDir, file);
  });
});
