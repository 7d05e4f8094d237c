import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createApiKey, type SecretsConfig } from '@flowforge/control-plane';
import { createFlowForgeWorker, workflowBundleOptions } from '@flowforge/workers';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { graphqlClient } from './graphql-client.ts';
import { uniqueName } from './index.ts';

export interface LocalStackOptions {
  /** A database with the migrations applied (createTestDatabase). */
  databaseUrl: string;
  temporalAddress: string;
  /** Default: a unique queue, so stacks in parallel test files never take each other's runs. */
  taskQueue?: string;
  /** Where credential values live; default: encrypted in PostgreSQL with a key made in the stack's home. */
  secrets?: SecretsConfig;
}

/** The control plane (listening on 127.0.0.1) and one worker, in this process: what `npm start` runs as children. */
export interface LocalStack {
  url: string;
  apiKey: string;
  home: string;
  taskQueue: string;
  /** POSTs a GraphQL operation with the API key; throws with the first error's code and message. */
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Stops the worker alone: the control plane and Temporal stay (a run then has nobody to answer its queries). */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundling the workflow code takes seconds: once per process. */
export function sharedWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger });
  return bundle;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const home = mkdtempSync(join(tmpdir(), 'flowforge-stack-'));
  const taskQueue = options.taskQueue ?? uniqueName('stack');
  const app = await buildApp({
    databaseUrl: options.databaseUrl,
    temporalAddress: options.temporalAddress,
    home,
    taskQueue,
    ...(options.secrets ? { secrets: options.secrets } : {}),
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
  const worker = await createFlowForgeWorker({
    connection,
    taskQueue,
    runSigningPublicKey: app.flowforge.signingKeys.publicKeyPem,
    artifactsDir: join(home, 'artifacts'),
    workflowBundle: await sharedWorkflowBundle(),
    // The resolution channel: this control plane, with the token it made in the stack's home.
    controlPlane: { url, token: app.flowforge.services.credentials.workerToken },
  });
  const running = worker.run();
  let workerStopped: Promise<void> | undefined;
  const stopWorker = () => {
    workerStopped ??= (async () => {
      worker.shutdown();
      await running;
      await connection.close();
    })();
    return workerStopped;
  };

  const graphql = graphqlClient(url, apiKey);

  return {
    url,
    apiKey,
    home,
    taskQueue,
    graphql,
    stopWorker,
    async stop() {
      await stopWorker();
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
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
