import { createPublicKey } from 'node:crypto';
import { hostname } from 'node:os';
import { type CredentialTypeRegistry, durationToMs, type NodeRegistry } from '@flowforge/connectors-sdk';
import { type ArtifactStore, FileArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import { builtinCredentialRegistry } from '@flowforge/connectors-sdk/builtin';
import { DEFAULT_TASK_QUEUE } from '@flowforge/connectors-sdk/contract';
import {
  type BundleOptions,
  type NativeConnection,
  Worker,
  type WorkerOptions,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import { DEFAULT_CLAIM_CHECK_BYTES } from './artifacts/claim-check.ts';
import {
  type CredentialChannelOptions,
  type CredentialFetcher,
  createCredentialChannel,
} from './credentials/credential-channel.ts';
import { RunEventChannel } from './events/run-event-channel.ts';
import { runEventSinks } from './events/run-event-sinks.ts';
import type { WorkerMetrics } from './observability/metrics.ts';
import { nodeInterceptors } from './observability/node-interceptors.ts';
import { runCountingSinks } from './observability/run-counting-sinks.ts';
import { tracingWorkerOptions, tracingWorkflowModules, type WorkerTracing } from './observability/tracing.ts';

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
  /** The node types this worker runs, and tells the control plane it offers. Default: the built-in nodes. */
  registry?: NodeRegistry;
  /** The worker's Temporal identity (pollers, history, the catalogue's answers). Default `pid@host`. */
  identity?: string;
  /**
   * How many runs stay in memory between workflow tasks (Temporal's `maxCachedWorkflows`); a run
   * out of the cache is replayed from its history when it next has work. 0 turns the cache off.
   * Default DEFAULT_MAX_CACHED_WORKFLOWS.
   */
  maxCachedWorkflows?: number;
  /**
   * At most this many nodes of one run in progress at once (running, or waiting on a timer, a
   * decision or a child run). Default DEFAULT_MAX_IN_FLIGHT_NODES.
   */
  maxInFlightNodes?: number;
  /**
   * Run nodes whose type is pure (set, if, switch, merge...) as local activities: no task-queue
   * round trip per node. Default true.
   */
  localPureNodes?: boolean;
  /**
   * How long one entry into the workflow sandbox may run before the workflow task fails
   * (Temporal's `isolateExecutionTimeout`): a duration such as '5s', or 'off'. Default 'off': Node starts a watchdog thread
   * for every timed entry (~0.17 ms here, dozens per run) and it was a third of the worker's CPU
   * (docs/PERFORMANCE.md, "Webhooks"); runDag's work per task is bounded by the workflow file.
   */
  workflowWatchdog?: string;
  /**
   * Keep a stack trace for every promise of every run, for Temporal Web's "Stack Trace" tab (the
   * `__stack_trace` query). Default false: it was half of the workflow thread's CPU; the run view
   * says where a run waits. Process-wide: it sets TEMPORAL_WORKFLOW_STACK_TRACES for the SDK.
   */
  workflowStackTraces?: boolean;
  /** A prebuilt bundle (`bundleWorkflowCode`); default: bundled from src/workflows at start-up. */
  workflowBundle?: WorkflowBundleOption;
  /**
   * Where nodes' credentials are fetched (the control plane's URL and this worker's token). Without
   * it, a node that uses a credential fails with FF_CONFIG; every other node runs as before. Runs'
   * live events go there too (workers/src/events/): without it, none are sent.
   */
  controlPlane?: CredentialChannelOptions;
  /** Which fields of each credential type are secret. Default: the built-in credential types. */
  credentialTypes?: CredentialTypeRegistry;
  /**
   * Traces (startWorkerTracing(env)); without it nothing of OpenTelemetry is registered. A prebuilt
   * `workflowBundle` must then be built with `workflowBundleOptions({ tracing: true })`.
   */
  tracing?: WorkerTracing | undefined;
  /** Where runs and node attempts are counted (FLOWFORGE_WORKER_METRICS_PORT); absent: nothing is measured. */
  metrics?: WorkerMetrics;
  /** Write one `node finished` line per node attempt to the Runtime's logger (FLOWFORGE_LOG_LEVEL info or lower). */
  logNodes?: boolean;
}

interface CompiledWorkerOptions {
  namespace: string;
  taskQueue: string;
  identity: string;
  registry: NodeRegistry;
  store: ArtifactStore;
  claimCheckBytes: number;
  maxCachedWorkflows: number;
  maxInFlightNodes: number;
  localPureNodes: boolean;
  /** Temporal's isolateExecutionTimeout; 0 = no watchdog (patches/@temporalio__worker@1.24.0.patch). */
  isolateExecutionTimeoutMs: number;
  credentials: CredentialFetcher | undefined;
  credentialTypes: CredentialTypeRegistry;
  runEvents: RunEventChannel | undefined;
}

/**
 * The SDK's own default grows with the heap limit ((limit - 200 MB) * 600 / 1024 runs: 2,395 on a
 * 24 GB machine) and a cached run waiting on approval costs the worker memory for as long as it
 * waits (docs/PERFORMANCE.md, "Runs waiting on approval").
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/**
 * Temporal fails a workflow task that would hold more than 2,000 pending activities (or 2,000
 * pending child workflows): a 5,000-node fan-out would never finish. 500 in flight keeps a wide
 * margin under both, keeps one workflow task's batch of ScheduleActivityTask commands (each with
 * its inputs) far below the gRPC message limit, and is still five times the worker's default 100
 * activity slots, so the cap never slows an ordinary run.
 */
export const DEFAULT_MAX_IN_FLIGHT_NODES = 500;
export const MAX_IN_FLIGHT_LIMIT = 1_900;

/** Every default in one place, as the Temporal SDK's compileWorkerOptions does. */
async function compileOptions(options: FlowForgeWorkerOptions): Promise<CompiledWorkerOptions> {
  return {
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    // The Temporal SDK's own default, spelled out so the catalogue answer names the same worker.
    identity: options.identity ?? `${process.pid}@${hostname()}`,
    // Loaded only when needed: embedders with their own registry never import the built-ins.
    registry: options.registry ?? (await import('./nodes/index.ts')).builtinRegistry,
    store: options.artifactStore ?? new FileArtifactStore(options.artifactsDir),
    claimCheckBytes: options.claimCheckBytes ?? DEFAULT_CLAIM_CHECK_BYTES,
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    maxInFlightNodes: Math.min(options.maxInFlightNodes ?? DEFAULT_MAX_IN_FLIGHT_NODES, MAX_IN_FLIGHT_LIMIT),
    localPureNodes: options.localPureNodes ?? true,
    isolateExecutionTimeoutMs:
      !options.workflowWatchdog || options.workflowWatchdog === 'off' ? 0 : durationToMs(options.workflowWatchdog),
    credentials: options.controlPlane ? createCredentialChannel(options.controlPlane) : undefined,
    credentialTypes: options.credentialTypes ?? builtinCredentialRegistry,
    runEvents: options.controlPlane
      ? new RunEventChannel({ controlPlane: options.controlPlane, warn: (message) => console.warn(message) })
      : undefined,
  };
}

/** Heartbeat once a second while a node runs, so a cancelled run stops its nodes within about a second. */
const HEARTBEAT_EVERY_MS = 1000;

/**
 * A Temporal worker that runs `runDag` and its `executeNode` / `verifyRunRequest` activities, and
 * answers the control plane's `describeNodeTypes` with its registry.
 */
export async function createFlowForgeWorker(options: FlowForgeWorkerOptions): Promise<Worker> {
  const compiled = await compileOptions(options);
  // Read by the workflow thread the SDK starts in Worker.create (patches/@temporalio__worker@1.24.0.patch).
  process.env.TEMPORAL_WORKFLOW_STACK_TRACES = options.workflowStackTraces ? 'on' : 'off';
  const activities = createActivities({
    registry: compiled.registry,
    store: compiled.store,
    claimCheckBytes: compiled.claimCheckBytes,
    heartbeatEveryMs: HEARTBEAT_EVERY_MS,
    maxInFlightNodes: compiled.maxInFlightNodes,
    localPureNodes: compiled.localPureNodes,
    publicKey: createPublicKey(options.runSigningPublicKey),
    identity: compiled.identity,
    taskQueue: compiled.taskQueue,
    credentials: compiled.credentials,
    credentialTypes: compiled.credentialTypes,
  });
  const tracing = options.tracing ? tracingWorkerOptions(options.tracing) : undefined;
  return Worker.create({
    connection: options.connection,
    namespace: compiled.namespace,
    taskQueue: compiled.taskQueue,
    identity: compiled.identity,
    activities,
    interceptors: {
      // Tracing's come first, the outermost: the node metrics and log lines see the span's context.
      activity: [
        ...(tracing?.activity ?? []),
        nodeInterceptors({ metrics: options.metrics, logNodes: options.logNodes ?? false }),
      ],
      // A prebuilt bundle carries them already (bundleWorkflowCode with workflowBundleOptions()).
      ...(options.workflowBundle
        ? {}
        : { workflowModules: workflowBundleOptions({ tracing: !!options.tracing }).workflowInterceptorModules }),
    },
    sinks: { ...runCountingSinks(options.metrics), ...runEventSinks(compiled.runEvents), ...tracing?.sinks },
    maxCachedWorkflows: compiled.maxCachedWorkflows,
    isolateExecutionTimeout: compiled.isolateExecutionTimeoutMs,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workerBundleOptions()),
    // Heartbeats carry cancellation back to the activity: do not hold them back for long.
    maxHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
    defaultHeartbeatThrottleInterval: HEARTBEAT_EVERY_MS,
  });
}

/**
 * How runDag's workflow bundle is built: Worker.create bundles with it (main.ts), and embedders that
 * prebuild a bundle should pass it to `bundleWorkflowCode({ ...workflowBundleOptions(), logger })`.
 *
 * With the SDK's reusable V8 context every run, and every replay (a query on an ended run is one),
 * evaluates each module it imports afresh. connectors-sdk brings zod, and the approval check brings
 * @noble/curves, whose module scopes build schemas and curve tables: that was most of a run's first
 * workflow task (docs/PERFORMANCE.md). Preloaded, they are evaluated once per workflow thread and
 * shared; they keep no per-run state, which is what preloading requires.
 */
export function workflowBundleOptions(
  options: { tracing?: boolean } = {},
): Required<Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'workflowInterceptorModules'>> {
  return {
    workflowsPath: workflowsPath(),
    preloadModules: ['@flowforge/connectors-sdk', '@flowforge/connectors-sdk/contract'],
    workflowInterceptorModules: [
      // Counts runs for flowforge_runs_started_total / _finished_total (observability/run-counting-sinks.ts).
      new URL('./workflows/run-counting.ts', import.meta.url).pathname,
      // Only with tracing: RunWorkflow / StartActivity spans (observability/tracing.ts).
      ...(options.tracing ? tracingWorkflowModules() : []),
    ],
  };
}

function workerBundleOptions(): Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  // The interceptor modules go to Worker.create as interceptors.workflowModules: bundlerOptions has no place for them.
  const {
    workflowsPath,
    workflowInterceptorModules: _passedAsInterceptors,
    ...bundlerOptions
  } = workflowBundleOptions();
  return { workflowsPath, bundlerOptions };
}

/** The workflow bundle's entry file, for `bundleWorkflowCode` and `workflowsPath`. */
export function workflowsPath(): string {
  return new URL('./workflows/index.ts', import.meta.url).pathname;
}
