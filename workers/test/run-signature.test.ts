import { WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import { type LinkedWorkflows, linkedKey, RUN_STATE_QUERY, type RunState } from '@flowforge/connectors-sdk/contract';
import {
  contentHash,
  generateSigningKeys,
  loadPrivateKey,
  signRunRequest,
} from '@flowforge/connectors-sdk/run-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../src/nodes/index.ts';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  type PreparedRun,
  prepareRun,
  runFailure,
  scheduledActivities,
  startRun,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

const greet = () =>
  dagOf('signed', [{ id: 'greet', type: 'core.set', params: { values: { hi: 1 } } }], [{ from: 'start', to: 'greet' }]);

const KEY = linkedKey('greet-child', 1);

/** A linked map holding one version, and a signer that puts its hash in the request. */
function linkedGreet() {
  const dag = WorkflowDefinitionSchema.parse(greet());
  const linked: LinkedWorkflows = { [KEY]: { name: 'greet-child', version: 1, dagHash: contentHash(dag), dag } };
  const key = loadPrivateKey(env.keys.privateKeyPem);
  const sign = (request: Parameters<typeof signRunRequest>[0]) =>
    signRunRequest({ ...request, linkedHash: contentHash(linked) }, key);
  return { linked, sign };
}

async function expectRejected(run: PreparedRun, code = 'FF_RUN_SIGNATURE', message?: string) {
  await withWorker(env, async (taskQueue) => {
    const handle = await startRun(env, run, taskQueue);
    const failure = await runFailure(handle);
    expect(failure.type, failure.message).toBe(code);
    if (message) expect(failure.message).toContain(message);
    expect(await scheduledActivities(handle)).toEqual([]);
    const state = await handle.query<RunState>(RUN_STATE_QUERY);
    expect(state.status).toBe('FAILED');
    expect(Object.values(state.nodes).every((node) => node.status === 'pending')).toBe(true);
  });
}

describe('signed run requests', () => {
  it('rejects a run whose DAG was changed after signing, before any node runs', async () => {
    const run = prepareRun(env, greet());
    const node = run.input.dag.nodes[1];
    if (node) node.params = { values: { hi: 2 } };
    await expectRejected(run, 'FF_RUN_SIGNATURE', 'the workflow definition does not match its signed hash');
  });

  it('rejects a run whose input was changed after signing', async () => {
    const run = prepareRun(env, greet(), { amount: 1 });
    run.input.input = { amount: 1_000_000 };
    await expectRejected(run, 'FF_RUN_SIGNATURE', 'the run input does not match its signed hash');
  });

  it('rejects a run signed with another key', async () => {
    const other = loadPrivateKey(generateSigningKeys().privateKeyPem);
    const run = prepareRun(env, greet(), {}, (request) => signRunRequest(request, other));
    await expectRejected(run, 'FF_RUN_SIGNATURE', 'the signature does not match');
  });

  it('rejects an unsigned run', async () => {
    const run = prepareRun(env, greet());
    (run.input as { signed?: unknown }).signed = undefined;
    await expectRejected(run, 'FF_RUN_SIGNATURE', 'it is not signed');
  });

  it('rejects a signed request replayed under another run id', async () => {
    const run = prepareRun(env, greet());
    await expectRejected({ ...run, runId: `${run.runId}-replayed` }, 'FF_RUN_SIGNATURE', 'it was signed for run');
  });

  it('rejects a top-level run whose linked workflow versions were changed after signing', async () => {
    const { linked, sign } = linkedGreet();
    const run = prepareRun(env, greet(), {}, sign);
    run.input.linked = {
      ...linked,
      [linkedKey('other')]: { ...(linked[KEY] as LinkedWorkflows[string]), name: 'other' },
    };
    await expectRejected(run, 'FF_RUN_SIGNATURE', 'the linked workflow versions do not match their signed hash');
  });

  it('rejects a run dressed up as a child run: a real signed parent request, but Temporal knows no parent', async () => {
    const { linked, sign } = linkedGreet();
    const parent = prepareRun(env, greet(), {}, sign);
    const child = prepareRun(env, greet());
    child.input = {
      ...parent.input,
      dag: linked[KEY]?.dag as LinkedWorkflows[string]['dag'],
      input: { anything: true },
      linked,
      startedBy: { kind: 'subworkflow', runId: parent.runId, nodeId: 'call', key: KEY, depth: 1 },
    };
    await expectRejected(
      child,
      'FF_RUN_SIGNATURE',
      `it names run "${parent.runId}" as its parent, but it has no parent run`,
    );
  });

  it('rejects a DAG with a node type this worker does not have', async () => {
    const run = prepareRun(
      env,
      dagOf('unknown-type', [{ id: 'x', type: 'test.noSuchNode' }], [{ from: 'start', to: 'x' }]),
    );
    await expectRejected(run, 'FF_UNKNOWN_NODE_TYPE', 'unknown node type "test.noSuchNode"');
  });

  it('runs the same request when nothing was changed', async () => {
    const run = prepareRun(env, greet());
    await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, run, taskQueue);
        await handle.result();
        expect(await scheduledActivities(handle)).toEqual(['executeNode', 'executeNode']);
      },
      { registry: builtinRegistry },
    );
  });
});
