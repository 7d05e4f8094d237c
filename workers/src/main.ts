import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isFlowForgeError } from '@flowforge/connectors-sdk';
import { disposeSandbox } from '@flowforge/connectors-sdk/runtime';
import { temporalTlsFromEnv } from '@flowforge/connectors-sdk/temporal-tls';
import { NativeConnection } from '@temporalio/worker';
import { workerCircuitBreakers } from './circuit-breaker/index.ts';
import { registryWithPackages } from './node-packages.ts';
import { createWorkerLogger, installTemporalRuntime } from './observability/logging.ts';
import { prepareWorkerMetrics } from './observability/metrics.ts';
import { startWorkerTracing } from './observability/tracing.ts';
import { createFlowForgeWorker } from './worker.ts';
import { loadWorkerConfig, type WorkerConfig } from './worker-config.ts';

/**
 * `node --import tsx workers/src/main.ts` (started by `npm start`): one worker on one task queue.
 * SIGINT/SIGTERM stop it gracefully: the Temporal SDK's runtime catches them, stops polling and
 * lets running activities finish (up to the shutdown grace time) before `run()` returns.
 */
const KEY_WAIT_MS = 60_000;

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const logger = createWorkerLogger(config.logLevel);
  const metricsServer = config.metrics ? await prepareWorkerMetrics(config.metrics) : undefined;
  installTemporalRuntime({ logger, level: config.logLevel, coreMetricsAddress: metricsServer?.coreBindAddress });
  workerCircuitBreakers.setDefaults(config.circuitBreaker);
  // OTEL_* variables; undefined (nothing registered) without OTEL_EXPORTER_OTLP_ENDPOINT.
  const tracing = startWorkerTracing(process.env);
  // Before anything connects: a package that cannot be used stops the worker with what to fix.
  const { registry, packages } = await registryWithPackages(config.nodePackages, process.cwd());
  for (const loaded of packages) {
    console.log(`node package ${loaded.specifier} (${loaded.file}): ${loaded.types.join(', ')}`);
  }
  const publicKeyPem = config.publicKeyPem ?? (await waitForPublicKey(config));
  const connection = await NativeConnection.connect({
    address: config.temporalAddress,
    tls: temporalTlsFromEnv(process.env),
  });
  try {
    const worker = await createFlowForgeWorker({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      runSigningPublicKey: publicKeyPem,
      registry,
      artifactsDir: config.artifactsDir,
      claimCheckBytes: config.claimCheckBytes,
      maxCachedWorkflows: config.maxCachedWorkflows,
      maxInFlightNodes: config.maxInFlightNodes,
      localPureNodes: config.localPureNodes,
      workflowWatchdog: config.workflowWatchdog,
      workflowStackTraces: config.workflowStackTraces,
      controlPlane: config.controlPlane,
      tracing,
      ...(metricsServer ? { metrics: metricsServer.metrics } : {}),
      logNodes: logger.isLevelEnabled('info'),
    });
    if (metricsServer && config.metrics) {
      await metricsServer.listen();
      console.log(`worker metrics on http://${config.metrics.host}:${config.metrics.port}/metrics`);
    }
    console.log(`worker ready on task queue ${config.taskQueue} (Temporal ${config.temporalAddress})`);
    if (config.memoryReportSeconds !== undefined) reportMemory(config.memoryReportSeconds);
    await worker.run();
    console.log('worker stopped');
  } finally {
    await metricsServer?.close();
    disposeSandbox();
    await connection.close();
    await tracing?.shutdown();
  }
}

const MB = 1024 * 1024;

/**
 * FLOWFORGE_MEMORY_REPORT_SECONDS: one `memory:` line every so often, for finding where a worker's
 * memory goes (the approvals benchmark reads it). process.memoryUsage()'s heap figures are this
 * thread's only; the workflow threads' V8 heaps come from the diagnostic report (Node asks each
 * worker thread for its own; only the heap sizes are printed, never the report, which holds the
 * environment). What neither counts (the Rust core, the sandbox isolates, malloc) is in rss alone.
 */
function reportMemory(seconds: number): void {
  // Started with --expose-gc (a diagnosis, not for production): collect first, so heapUsed is live data.
  const collect = (globalThis as { gc?: () => void }).gc;
  const timer = setInterval(() => {
    collect?.();
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const threads = threadHeaps();
    const parts = {
      rss,
      heapTotal,
      heapUsed,
      external,
      arrayBuffers,
      threadsHeapTotal: threads.total,
      threadsHeapUsed: threads.used,
    };
    const figures = Object.entries(parts).map(([name, bytes]) => `${name} ${(bytes / MB).toFixed(1)} MB`);
    console.log(`memory: ${figures.join(', ')} (workflow threads: ${threads.count})`);
  }, seconds * 1000);
  // The report never keeps a stopping worker alive.
  timer.unref();
}

interface ThreadReport {
  javascriptHeap?: { totalMemory?: number; usedMemory?: number };
}

function threadHeaps(): { count: number; total: number; used: number } {
  const report = process.report.getReport() as { workers?: ThreadReport[] };
  const workers = report.workers ?? [];
  return {
    count: workers.length,
    total: workers.reduce((sum, w) => sum + (w.javascriptHeap?.totalMemory ?? 0), 0),
    used: workers.reduce((sum, w) => sum + (w.javascriptHeap?.usedMemory ?? 0), 0),
  };
}

/** The control plane writes its key on first start; a worker started beside it waits for the file. */
async function waitForPublicKey(config: WorkerConfig): Promise<string> {
  const deadline = Date.now() + KEY_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      return await readFile(config.publicKeyFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `FF_CONFIG: no run-signing public key after ${KEY_WAIT_MS / 1000} s: ${config.publicKeyFile} does not exist. ` +
          'Start the control plane (it writes the key), or set FLOWFORGE_RUN_SIGNING_PUBLIC_KEY to its PEM public key.',
      );
    }
    if (!told) {
      console.log(`waiting for the control plane's run-signing public key at ${config.publicKeyFile} ...`);
      told = true;
    }
    await delay(500);
  }
}

main().catch((error: unknown) => {
  if (isFlowForgeError(error)) {
    console.error(`${error.code}: ${error.message}${error.hint ? `\n  what to do: ${error.hint}` : ''}`);
  } else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
