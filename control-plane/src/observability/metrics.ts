import { timingSafeEqual } from 'node:crypto';
import { SEARCH_ATTRIBUTES } from '@flowforge/connectors-sdk/contract';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsRouteOptions {
  temporal: Client;
  /** The queue this control plane starts its runs on (children and scheduled runs too): what it counts. */
  taskQueue: string;
  /** FLOWFORGE_METRICS_TOKEN: when set, /metrics wants `Authorization: Bearer <token>`; else it is open, like /healthz. */
  token?: string | undefined;
}

/** Runs waiting for a person, as `flowforge approvals list` finds them, on one task queue: counted by Temporal's visibility store. */
function waitingApprovalsQuery(taskQueue: string): string {
  const queue = taskQueue.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
  return `ExecutionStatus = 'Running' AND TaskQueue = '${queue}' AND ${SEARCH_ATTRIBUTES.waitingApproval} IS NOT NULL`;
}

/**
 * GET /metrics on the control plane's HTTP port, Prometheus text: its own process, its HTTP requests,
 * and flowforge_approvals_waiting, counted at scrape time. Runs and nodes are counted by the workers
 * (workers/README.md, "Metrics"): Temporal Schedules and parent runs start runs the control plane never sees.
 */
export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const registry = new Registry();
  const waitingApprovals = waitingApprovalsQuery(options.taskQueue);
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'flowforge_http_request_duration_seconds',
    help: 'Control plane HTTP requests, by route (the route pattern, not the path), method and status code',
    labelNames: ['route', 'method', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'flowforge_approvals_waiting',
    help: "Runs on this control plane's task queue waiting for an approval decision now (Temporal visibility)",
    registers: [registry],
    async collect() {
      try {
        const { count } = await options.temporal.workflow.count(waitingApprovals);
        this.set(count);
      } catch (error) {
        // No figure rather than a false one: the series goes missing, which an absent() alert sees.
        this.reset();
        app.log.warn({ err: error }, 'flowforge_approvals_waiting: Temporal did not answer the count');
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched paths share one label: a scanner's random URLs must not grow the series without end.
    const route = request.routeOptions.url ?? '(unmatched)';
    if (route === '/metrics') return;
    requests.observe(
      { route, method: request.method, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  app.get('/metrics', async (request, reply) => {
    if (expected && !sameSecret(request.headers.authorization, expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({
          error: {
            code: 'FF_UNAUTHENTICATED',
            message: '/metrics wants the FLOWFORGE_METRICS_TOKEN bearer token',
            retryable: false,
          },
        });
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

function sameSecret(given: string | undefined, expected: Buffer): boolean {
  const bytes = Buffer.from(given ?? '');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
