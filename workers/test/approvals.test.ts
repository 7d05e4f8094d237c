import { sign } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDagResult } from '@flowforge/connectors-sdk/contract';
import {
  type ApprovalDecision,
  DECIDE_UPDATE,
  type DecisionClaims,
  type DecisionToken,
  SEARCH_ATTRIBUTES,
} from '@flowforge/connectors-sdk/contract';
import { loadPrivateKey } from '@flowforge/connectors-sdk/run-request';
import type { WorkflowHandle } from '@temporalio/client';
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
 * runDag's approval wait at engine level (no control plane): decisions are signed here with the
 * test's control-plane key, as the control plane does. Every run is replayed against today's
 * runDag when it ends, and the histories in approval-histories/ (written with
 * FLOWFORGE_RECORD_HISTORIES=1) are replayed too: a change that breaks runs waiting for a person
 * fails here (gate it with patched()).
 */

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(async () => env?.close());

const historiesDir = join(import.meta.dirname, 'approval-histories');

const replays = (handle: WorkflowHandle, name: string) => replayRun(env, handle, historiesDir, name);

const gated = (name: string, gate: Record<string, unknown>) =>
  dagOf(
    name,
    [
      { id: 'gate', type: 'core.approval', params: { roles: ['finance'], ...gate } },
      { id: 'ok', type: 'core.set', params: { values: { ok: true } } },
      { id: 'no', type: 'core.set', params: { values: { ok: false } } },
    ],
    [
      { from: 'start', to: 'gate' },
      { from: 'gate', fromPort: 'approved', to: 'ok' },
      { from: 'gate', fromPort: 'rejected', to: 'no' },
    ],
  );

function token(claims: Omit<DecisionClaims, 'issuedAt'>): DecisionToken {
  const text = JSON.stringify({ ...claims, issuedAt: new Date().toISOString() });
  const signature = sign(null, Buffer.from(text), loadPrivateKey(env.keys.privateKeyPem)).toString('hex');
  return { claims: text, signature };
}

async function waitingIds(handle: WorkflowHandle): Promise<unknown> {
  const { searchAttributes } = await handle.describe();
  return searchAttributes[SEARCH_ATTRIBUTES.waitingApproval];
}

describe('runDag waits for an approval', () => {
  it('marks the node waiting and the search attribute while it waits; a signed decision goes on', async () => {
    const run = prepareRun(env, gated('approve', { message: 'go?' }), { order: 1 });
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const state = await waitForState(handle, (s) => s.nodes.gate?.status === 'waiting');
      expect(state.nodes.gate?.waitingFor).toMatchObject({ kind: 'approval', message: 'go?', roles: ['finance'] });
      expect(await waitingIds(handle)).toEqual(['gate']);

      const decision = await handle.executeUpdate<ApprovalDecision, [DecisionToken]>(DECIDE_UPDATE, {
        args: [token({ runId: run.runId, nodeId: 'gate', decision: 'approve', by: 'fiona', roles: ['finance'] })],
      });
      expect(decision).toEqual({ decision: 'approve', by: 'fiona', at: expect.any(String), fields: {} });
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.ok?.main).toEqual([{ json: { order: 1, ...decision, ok: true } }]);
      expect(await waitingIds(handle)).toBeUndefined();
      await replays(handle, 'approve');
    });
  });

  it('after the timeout, onTimeout "reject" routes the items to "rejected" as system:timeout', async () => {
    const run = prepareRun(env, gated('timeout-reject', { timeout: '1s' }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(result.outputs.no?.main).toEqual([
        { json: { decision: 'reject', by: 'system:timeout', at: expect.any(String), fields: {}, ok: false } },
      ]);
      await replays(handle, 'timeout-reject');
    });
  });
});

describe('recorded approval histories', () => {
  const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

  it('has a history for each recorded run (approve, timeout-reject)', () => {
    expect(files.sort()).toEqual(['approve.json', 'timeout-reject.json']);
  });

  it.each(files)('replays %s deterministically', async (file) => {
    await replayRecorded(env, historiesDir, file);
  });
});
