import { createPublicKey } from 'node:crypto';
import type { NodeRegistry } from '@flowforge/connectors-sdk';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import type { ArtifactStore } from './artifacts/artifact-store.ts';
import { DEFAULT_CLAIM_CHECK_BYTES } from './artifacts/claim-check.ts';
import { FileArtifactStore } from './artifacts/file-artifact-store.ts';
import { DEFAULT_TASK_QUEUE } from './run-state.ts';

export interface FlowForgeWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** Default `flowforge`. */
  taskQueue?: string;
  /** The control plane's Ed25519 public key (PEM): only requests it signed are run. */
  runSigningPublicKey: string;
  /** Where outputs over `claimCheckBytes` are stored (a FileArtifactStore), unless `artifactStore` is given. */
  artifactsDir: string;
  artifactStore?: ArtifactStore;
  /** A port's output bigger than this (JSON bytes) goes to the artefact store. Default 256 KiB. */
  claimCheckBytes?: number;
  /** The node types this worker runs. Default: the built-in nodes. */
  registry?: NodeRegistry;
  /** A prebuilt bundle (`bundleWorkflowCode`); default: bundled from src/workflows at start-up. */
  workflowBundle?: WorkflowBundleOption;
}

interface CompiledWorkerOptions {
  namespace: string;
  taskQueue: string;
  registry: NodeRegistry;
  store: ArtifactStore;
  claimCheckBytes: number;
}

/** Every default in one place, as the Temporal SDK's compileWorkerOptions does. */
async function compileOptions(options: FlowForgeWorkerOptions): Promise<CompiledWorkerOptions> {
  return {
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    // Loaded only when needed: embedders with their own registry never import the built-ins.
    registry: options.registry ?? (await import('./nodes/index.ts')).builtinRegistry,
    store: options.artifactStore ?? new FileArtifactStore(options.artifactsDir),
    claimCheckBytes: options.claimCheckBytes ?? DEFAULT_CLAIM_CHECK_BYTES,
  };
}

/** Heartbeat once a second while a node runs, so a cancelled run stops its nodes within about a second. */
const HEARTBEAT_EVERY_MS = 1000;

/** A Temporal worker that runs `runDag` and its `executeNode` / `verifyRunRequest` activities. */
export async function createFlowForgeWorker(options: FlowForgeWorkerOptions): Promise<Worker> {
  const compiled = await compileOptions(options);
  const activities = createActivities({
    registry: compiled.registry,
    store: compiled.store,
    claimCheckBytes: compiled.claimCheckBytes,
    heartbeatEveryMs: HEARTBEAT_EVERY_MS,
    publicKey: createPublicKey(options.runSigningPublicKey),
  });
  return Worker.create({
    connection: options.connection,
    namespace: compiled.namespace,
    taskQueue: compiled.taskQueue,
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: workflowsPath(), bundlerOptions: { preloadModules: [...WORKFLOW_PRELOAD_MODULES] } }),
    // Heartbeats carry cancellation back to the activity: do not hold them back for long.
    maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
    defaultHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
  });
}

/**
 * Modules the workflow bundle evaluates once per worker thread instead of once per workflow run.
 * With the SDK's reusable V8 context every run (and every replay, e.g. for a query on an ended
 * run) re-evaluates each module it imports; connectors-sdk brings zod and @noble/curves, whose
 * module scope builds schemas and curve tables: that was most of a run's first workflow task
 * (docs/PERFORMANCE.md). Both keep no per-run state, which is what preloading requires.
 * For `bundleWorkflowCode({ workflowsPath: workflowsPath(), preloadModules: [...WORKFLOW_PRELOAD_MODULES] })`.
 */
export const WORKFLOW_PRELOAD_MODULES: readonly string[] = ['@flowforge/connectors-sdk'];

/** The workflow bundle's entry file, for `bundleWorkflowCode` and `workflowsPath`. */
export function workflowsPath(): string {
  return new URL('./workflows/index.ts', import.meta.url).pathname;
}
