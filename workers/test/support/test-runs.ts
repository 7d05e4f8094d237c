import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type WorkflowDefinition, WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import {
  contentHash,
  generateSigningKeys,
  loadPrivateKey,
  type SignedRunRequest,
  signRunRequest,
} from '@flowforge/connectors-sdk/run-request';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
// Type-only: brings the `inject('temporalAddress')` typing of the suite's global setup.
import type {} from '../../../scripts/test-env/global-setup.ts';
import { uniqueName } from '../../../scripts/test-env/index.ts';
import { RUN_DAG_WORKFLOW, type RunDagInput } from '../../src/run-state.ts';
import { runDagStartOptions } from '../../src/start-options.ts';
import { createFlowForgeWorker, type FlowForgeWorkerOptions, workflowsPath } from '../../src/worker.ts';
import { testRegistry } from './test-nodes.ts';

export { uniqueName };

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
  const address = inject('temporalAddress');
  const [connection, clientConnection, bundle] = await Promise.all([
    NativeConnection.connect({ address }),
    Connection.connect({ address }),
    // Bundling takes seconds: once per test file.
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }),
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

export interface PreparedRun {
  runId: string;
  input: RunDagInput;
  dag: WorkflowDefinition;
}

/** Builds a run as the control plane does: parse the definition, hash DAG and input, sign the request. */
export function prepareRun(
  env: EngineTestEnv,
  definition: unknown,
  input: unknown = {},
  sign: (request: Parameters<typeof signRunRequest>[0]) => SignedRunRequest = (request) =>
    signRunRequest(request, loadPrivateKey(env.keys.privateKeyPem)),
): PreparedRun {
  const dag = WorkflowDefinitionSchema.parse(definition);
  const runId = uniqueName(`run-${dag.name}`);
  const signed = sign({
    runId,
    versionId: uniqueName('version'),
    dagHash: contentHash(dag),
    inputHash: contentHash(input ?? null),
    trigger: { kind: 'manual', by: 'test' },
    issuedAt: new Date().toISOString(),
  });
  return { runId, dag, input: { signed, dag, input, workflow: { name: dag.name, version: 1 } } };
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
