import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildApp,
  createApiKey,
  type ProtectionOptions,
  type SecretsConfig,
  startControlPlaneTracing,
} from '@flowforge/control-plane';
import {
  createFlowForgeWorker,
  registryWithPackages,
  startWorkerTracing,
  type WorkerTracing,
  workflowBundleOptions,
} from '@flowforge/workers';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
import { graphqlClient } from './graphql-client.ts';
import { createTestDatabase, uniqueName } from './index.ts';

export interface LocalStackOptions {
  /** A database with the migrations applied (createTestDatabase). */
  databaseUrl: string;
  temporalAddress: string;
  /** Default: a unique queue, so stacks in parallel test files never take each other's runs. */
  taskQueue?: string;
  /** Node packages the worker loads beside the built-in nodes, as FLOWFORGE_NODE_PACKAGES names them (from the repository root). */
  nodePackages?: string[];
  /** false: the control plane alone, no worker on its task queue. */
  worker?: boolean;
  /** Passed to the control plane (how long it waits for the workers' node types, how long it keeps them). */
  nodeTypes?: { cacheSeconds?: number; answerTimeoutMs?: number };
  /** Where credential values live; default: encrypted in PostgreSQL with a key made in the stack's home. */
  secrets?: SecretsConfig;
  /**
   * OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT...) the control plane and the worker trace with, as
   * main.ts reads them from the environment; the worker then runs the bundle with the tracing interceptors.
   */
  tracing?: NodeJS.ProcessEnv;
  /**
   * Default: rate limits off. Tests and benchmarks drive thousands of requests through one key from
   * one address (10,000 approvals); the limits have tests of their own (control-plane/test/protection.test.ts).
   */
  protection?: ProtectionOptions;
}

/**
 * startLocalStack against the suite's Temporal dev server and a fresh database on its PostgreSQL
 * (both from global-setup.ts): what a test file's beforeAll starts.
 */
export async function startTestStack(
  options: Omit<LocalStackOptions, 'databaseUrl' | 'temporalAddress'> = {},
): Promise<LocalStack> {
  return startLocalStack({
    databaseUrl: await createTestDatabase(inject('postgresUrl')),
    temporalAddress: inject('temporalAddress'),
    ...options,
  });
}

/** The control plane (listening on 127.0.0.1) and one worker, in this process: what `npm start` runs as children. */
export interface LocalStack {
  url: string;
  apiKey: string;
  home: string;
  taskQueue: string;
  /** Stops the worker only (the control plane keeps answering), as a worker that died would. */
  stopWorker(): Promise<void>;
  /** POSTs a GraphQL operation with the API key; throws with the first error's code and message. */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The control plane's public run-signing key (PEM): what a worker of this stack verifies with. */
  publicKeyPem: string;
  /** Runs another worker (its connection closed with it) beside or in place of the stopped one, until `stop()`. */
  useWorker(worker: Worker, connection: NativeConnection): void;
  stop(): Promise<void>;
}

const bundles = new Map<boolean, Promise<WorkflowBundleWithSourceMap>>();

/** Bundling the workflow code takes seconds: once per process (and once more with the tracing interceptors). */
export function sharedWorkflowBundle(options: { tracing?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  const tracing = options.tracing ?? false;
  let bundle = bundles.get(tracing);
  if (!bundle) {
    bundle = bundleWorkflowCode({ ...workflowBundleOptions({ tracing }), logger: quietLogger });
    bundles.set(tracing, bundle);
  }
  return bundle;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const home = mkdtempSync(join(tmpdir(), 'flowforge-stack-'));
  const taskQueue = options.taskQueue ?? uniqueName('stack');
  const controlPlaneTracing = options.tracing ? startControlPlaneTracing(options.tracing) : undefined;
  const workerTracing = options.tracing ? startWorkerTracing(options.tracing) : undefined;
  const app = await buildApp({
    databaseUrl: options.databaseUrl,
    temporalAddress: options.temporalAddress,
    home,
    taskQueue,
    ...(options.nodeTypes ? { nodeTypes: options.nodeTypes } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    tracing: controlPlaneTracing,
    protection: options.protection ?? { rateLimit: false },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Like npm start's local admin key: user "admin" with the admin role (may decide any approval).
  const { key: apiKey } = await createApiKey(app.flowforge.services.prisma, 'local-stack', {
    user: 'admin',
    roles: ['admin'],
  });

  quietTemporalRuntime();
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const stopMainWorker =
    options.worker === false
      ? async () => {}
      : await startWorker({
          connection,
          taskQueue,
          runSigningPublicKey: app.flowforge.signingKeys.publicKeyPem,
          home,
          nodePackages: options.nodePackages ?? [],
          // The resolution channel: this control plane, with the token it made in the stack's home.
          controlPlane: { url, token: app.flowforge.services.credentials.workerToken },
          tracing: workerTracing,
        });
  const others: Array<{
    worker: Worker;
    connection: NativeConnection;
    running: Promise<void>;
    stopped?: Promise<void>;
  }> = [];
  const useWorker = (next: Worker, nextConnection: NativeConnection) => {
    others.push({ worker: next, connection: nextConnection, running: next.run() });
  };
  const stopWorker = async () => {
    await stopMainWorker();
    await Promise.all(
      others.map((entry) => {
        entry.stopped ??= (async () => {
          entry.worker.shutdown();
          await entry.running;
          await entry.connection.close();
        })();
        return entry.stopped;
      }),
    );
  };

  const graphql = graphqlClient(url, apiKey);

  return {
    url,
    apiKey,
    home,
    taskQueue,
    graphql,
    publicKeyPem: app.flowforge.signingKeys.publicKeyPem,
    stopWorker,
    useWorker,
    async stop() {
      await stopWorker();
      await connection.close();
      await app.close();
      await Promise.all([controlPlaneTracing?.shutdown(), workerTracing?.shutdown()]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The stack's worker, running until the function it returns is called (that waits for it to stop). */
async function startWorker(options: {
  connection: NativeConnection;
  taskQueue: string;
  runSigningPublicKey: string;
  home: string;
  nodePackages: string[];
  controlPlane: { url: string; token: string };
  tracing: WorkerTracing | undefined;
}): Promise<() => Promise<void>> {
  const { registry } = await registryWithPackages(options.nodePackages, join(import.meta.dirname, '..', '..'));
  const worker = await createFlowForgeWorker({
    connection: options.connection,
    taskQueue: options.taskQueue,
    registry,
    runSigningPublicKey: options.runSigningPublicKey,
    artifactsDir: join(options.home, 'artifacts'),
    workflowBundle: await sharedWorkflowBundle({ tracing: options.tracing !== undefined }),
    controlPlane: options.controlPlane,
    tracing: options.tracing,
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      worker.shutdown();
      await running;
    })();
    return stopped;
  };
}

/** Activity failures are what these tests provoke: keep the SDK's WARN lines out of the test output. */
function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already (by an earlier stack in this process): keep that one.
  }
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
