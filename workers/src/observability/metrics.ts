import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { FinishedRunStatus } from '../workflows/run-counting.ts';

/** How a node's activity attempt ended. */
export type NodeOutcome = 'succeeded' | 'failed' | 'cancelled';

/**
 * The worker's own Prometheus metrics. Runs are counted here, not on the control plane: Temporal
 * Schedules and parent runs start runs the control plane never sees, and only a worker sees a run end.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly runsStarted = new Counter({
    name: 'flowforge_runs_started_total',
    help: 'Runs (runDag executions) a worker began, by trigger kind; a continue-as-new is not a new run',
    labelNames: ['trigger'],
    registers: [this.registry],
  });
  private readonly runsFinished = new Counter({
    name: 'flowforge_runs_finished_total',
    help: 'Runs that ended on a worker, by status (a run timed out or terminated by Temporal never reaches one)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly nodeDuration = new Histogram({
    name: 'flowforge_node_duration_seconds',
    help: 'Time of one executeNode attempt (remote or local activity), by node type and outcome',
    labelNames: ['node_type', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  runStarted(trigger: string): void {
    this.runsStarted.inc({ trigger });
  }

  runFinished(status: FinishedRunStatus): void {
    this.runsFinished.inc({ status });
  }

  nodeFinished(nodeType: string, outcome: NodeOutcome, seconds: number): void {
    this.nodeDuration.observe({ node_type: nodeType, outcome }, seconds);
  }
}

export interface WorkerMetricsServer {
  metrics: WorkerMetrics;
  /** Where the Temporal SDK's Core serves its own metrics (loopback only): Runtime.install's bindAddress. */
  coreBindAddress: string;
  /** Starts answering /metrics on the worker port. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

/**
 * FLOWFORGE_WORKER_METRICS_PORT: one /metrics answer holding the worker's metrics and the Temporal
 * SDK's (task slots, poll latency, schedule-to-start). The SDK's Core exports Prometheus text itself
 * on an address of its own; it listens on a loopback port here and its text is appended to ours, so
 * a scraper needs one target per worker and the SDK's figures stay the SDK's, unconverted.
 */
export async function prepareWorkerMetrics(options: { host: string; port: number }): Promise<WorkerMetricsServer> {
  const metrics = new WorkerMetrics();
  const corePort = await freeLoopbackPort();
  const coreUrl = `http://127.0.0.1:${corePort}/metrics`;
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the worker serves /metrics only\n');
      return;
    }
    scrape(metrics.registry, coreUrl).then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) =>
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(error as Error).message}\n`),
    );
  });
  return {
    metrics,
    coreBindAddress: `127.0.0.1:${corePort}`,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            new FlowForgeError(
              'FF_CONFIG',
              `FLOWFORGE_WORKER_METRICS_PORT: cannot listen on ${options.host}:${options.port} (${error.code ?? error.message})`,
              { hint: 'choose a free port, or unset FLOWFORGE_WORKER_METRICS_PORT to serve no metrics', cause: error },
            ),
          ),
        );
        server.listen(options.port, options.host, () => resolve());
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Ours, then Core's. Core's exporter answers only once a worker exists: until then ours alone. */
async function scrape(registry: Registry, coreUrl: string): Promise<string> {
  const [own, core] = await Promise.all([
    registry.metrics(),
    fetch(coreUrl, { signal: AbortSignal.timeout(2000) })
      .then((response) => (response.ok ? response.text() : ''))
      .catch(() => ''),
  ]);
  return core ? `${own}\n${core}` : own;
}

/** A port nothing listens on now, for Core's exporter (it takes an address, not a server). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
