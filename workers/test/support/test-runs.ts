import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RUN_DAG_WORKFLOW,
  RUN_STATE_QUERY,
  type RunState,
  runDagStartOptions,
} from '@flowforge/connectors-sdk/contract';
import { generateSigningKeys, type RunRequest, type SignedRunRequest } from '@flowforge/connectors-sdk/run-request';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
// Type-only: brings the `inject('temporalAddress')` typing of the suite's global setup.
import type {} from '../../../scripts/test-env/global-setup.ts';
import { uniqueName } from '../../../scripts/test-env/index.ts';
import { createFlowForgeWorker, type FlowForgeWorkerOptions, workflowBundleOptions } from '../../src/worker.ts';
import { type PreparedRun, signedRun } from './signed-run.ts';
import { testRegistry } from './test-nodes.ts';

export { type PreparedRun, uniqueName };

/** What a test file shares: connections, one workflow bundle, the control plane's signing keys. */
export interface EngineTestEnv {
  client: Client;
  connection: NativeConnection;
  bundle: WorkflowBundleWithSourceMap;
  keys: { privateKeyPem: string; publicKeyPem: string };
  artifactsDir: string;
  close(): Promise<void>;
}

export async function createEngineTestEnv(): Promise<EngineTestEnv> {
  // Failing nodes are the point of many tests: keep the SDK's warnings out of the test output.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const address = inject('temporalAddress');
  const [connection, clientConnection, bundle] = await Promise.all([
    NativeConnection.connect({ address }),
    Connection.connect({ address }),
    // Bundling takes seconds: once per test file.
    bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger }),
  ]);
  return {
    client: new Client({ connection: clientConnection }),
    connection,
    bundle,
    keys: generateSigningKeys(),
    artifactsDir: mkdtempSync(join(tmpdir(), 'flowforge-artifacts-')),
    async close() {
      await Promise.all([connection.close(), clientConnection.close()]);
    },
  };
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

/** Runs `fn` while a worker with the test registry serves a fresh task queue. */
export async function withWorker<T>(
  env: EngineTestEnv,
  fn: (taskQueue: string) => Promise<T>,
  options: Partial<FlowForgeWorkerOptions> = {},
): Promise<T> {
  const taskQueue = uniqueName('engine-test');
  const worker: Worker = await createFlowForgeWorker({
    connection: env.connection,
    taskQueue,
    runSigningPublicKey: env.keys.publicKeyPem,
    artifactsDir: env.artifactsDir,
    registry: testRegistry,
    workflowBundle: env.bundle,
    ...options,
  });
  return worker.runUntil(fn(taskQueue));
}

/** Builds a run as the control plane does, signed with the test file's control plane key. */
export function prepareRun(
  env: EngineTestEnv,
  definition: unknown,
  input: unknown = {},
  sign?: (request: RunRequest) => SignedRunRequest,
): PreparedRun {
  return signedRun(definition, input, env.keys.privateKeyPem, sign);
}

/** Starts a prepared run on the task queue with the control plane's start options. */
export function startRun(env: EngineTestEnv, run: PreparedRun, taskQueue: string) {
  return env.client.workflow.start(RUN_DAG_WORKFLOW, {
    args: [run.input],
    ...runDagStartOptions({ runId: run.runId, workflow: run.input.workflow, settings: run.dag.settings, taskQueue }),
  });
}

/** A workflow file from nodes and edges, with a manual trigger `start` first. */
export function dagOf(
  name: string,
  nodes: Array<Record<string, unknown>>,
  edges: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): unknown {
  return { schemaVersion: 1, name, nodes: [{ id: 'start', type: 'trigger.manual' }, ...nodes], edges, ...extra };
}

/** Polls the `runState` query until `predicate` holds (a run observed mid-flight, without sleeps in the test). */
export async function waitForState(
  handle: { query<T>(name: string): Promise<T> },
  predicate: (state: RunState) => boolean,
  timeoutMs = 20_000,
): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await handle.query<RunState>(RUN_STATE_QUERY).catch(() => undefined);
    if (state && predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`run state never matched; last: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The failure a run ended with: the ApplicationFailure under WorkflowFailedError. */
export async function runFailure(handle: { result(): Promise<unknown> }): Promise<{ type?: string; message: string }> {
  try {
    await handle.result();
  } catch (error) {
    const cause = (error as { cause?: { type?: string; message: string } }).cause;
    if (cause) return cause;
    throw error;
  }
  throw new Error('the run completed, but a failure was expected');
}

interface HistoryEventShape {
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Payload[] }> };
}

/**
 * Names of the node activities a run executed, from its Temporal history: scheduled (remote)
 * activities and local activities (markers; pure nodes run as local activities). The run's own
 * verifyRunRequest local activity is left out: it is no node.
 */
export async function scheduledActivities(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }) {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((raw) => {
    const event = raw as HistoryEventShape;
    const remote = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (remote) return [remote];
    const marker = event.markerRecordedEventAttributes;
    const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0] : undefined;
    if (!data) return [];
    const type = defaultPayloadConverter.fromPayload<{ activity_type?: string }>(data).activity_type;
    return type && type !== 'verifyRunRequest' ? [type] : [];
  });
}
