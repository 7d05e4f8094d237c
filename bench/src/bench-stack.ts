import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createApiKey, startControlPlaneTracing } from '@flowforge/control-plane';
import { graphqlClient } from '@flowforge/scripts/test-env';
import { createFlowForgeWorker, startWorkerTracing, WorkerMetrics } from '@flowforge/workers';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

/** The control plane and one worker in this process, driven over GraphQL. */
export interface BenchStack {
  url: string;
  apiKey: string;
  graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  databaseUrl: string;
  temporalAddress: string;
  /**
   * The worker's channel to the control plane (credentials, live run events), as main.ts gives it.
   * Default on; BENCH_RUN_EVENTS=off leaves it out, for a before/after of the live-events path.
   */
  controlPlane?: boolean;
}

/**
 * What `npm start` runs as two children, in one process: the control plane, and a worker made by
 * createFlowForgeWorker exactly as workers/src/main.ts makes it (it bundles the workflow code
 * itself, with the worker's bundler settings), so the figures are those of the real worker.
 * Traced as main.ts traces when OTEL_EXPORTER_OTLP_ENDPOINT is set (the cost of tracing).
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const home = mkdtempSync(join(tmpdir(), 'flowforge-bench-stack-'));
  const taskQueue = `bench-${process.pid}`;
  const controlPlaneTracing = startControlPlaneTracing(process.env);
  const workerTracing = startWorkerTracing(process.env);
  const app = await buildApp({
    databaseUrl: options.databaseUrl,
    temporalAddress: options.temporalAddress,
    home,
    taskQueue,
    tracing: controlPlaneTracing,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { key: apiKey } = await createApiKey(app.flowforge.services.prisma, 'bench');

  // The SDK's INFO lines (worker state changes) would bury the figures.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await createFlowForgeWorker({
    connection,
    taskQueue,
    runSigningPublicKey: app.flowforge.signingKeys.publicKeyPem,
    artifactsDir: join(home, 'artifacts'),
    tracing: workerTracing,
    // FLOWFORGE_BENCH_METRICS=on: what FLOWFORGE_WORKER_METRICS_PORT costs (runs and node attempts counted).
    ...(process.env.FLOWFORGE_BENCH_METRICS === 'on' ? { metrics: new WorkerMetrics() } : {}),
    ...((options.controlPlane ?? process.env.BENCH_RUN_EVENTS !== 'off')
      ? { controlPlane: { url, token: app.flowforge.services.credentials.workerToken } }
      : {}),
  });
  const running = worker.run();

  const graphql = graphqlClient(url, apiKey);

  return {
    url,
    apiKey,
    graphql,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await app.close();
      await Promise.all([controlPlaneTracing?.shutdown(), workerTracing?.shutdown()]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
