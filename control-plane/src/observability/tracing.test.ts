import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../../scripts/test-env/otlp-receiver.ts';
import { type ControlPlaneTracing, startControlPlaneTracing, traceRequests } from './tracing.ts';

/**
 * The request spans on a bare Fastify app (the hooks alone; the whole trace through Temporal is
 * scripts/e2e/tracing.test.ts), exported to a local OTLP/HTTP receiver.
 */
let receiver: OtlpReceiver;
let tracing: ControlPlaneTracing;
let app: FastifyInstance;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = startControlPlaneTracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  }) as ControlPlaneTracing;
  app = Fastify();
  traceRequests(app, tracing);
  app.get('/healthz', async () => ({ ok: true }));
  app.post('/webhook/*', async (_request, reply) => reply.status(202).send({ accepted: true }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await tracing?.shutdown();
  await receiver?.close();
});

describe('control plane request spans', () => {
  it('is off without an OTLP endpoint', () => {
    expect(startControlPlaneTracing({})).toBeUndefined();
    expect(
      startControlPlaneTracing({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ).toBeUndefined();
  });

  it("a webhook's span continues the caller's traceparent, names the route, and keeps the query string out", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    await app.inject({
      method: 'POST',
      url: '/webhook/orders/7?token=s3cret',
      headers: { traceparent: `00-${traceId}-${callerSpan}-01` },
      payload: {},
    });
    await app.inject({ method: 'GET', url: '/healthz' });
    const [span] = await receiver.waitFor((spans) => spans.length > 0);
    expect(span).toMatchObject({
      service: 'flowforge-control-plane',
      name: 'POST /webhook/*',
      kind: 2,
      traceId,
      parentSpanId: callerSpan,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/webhook/*',
        'url.path': '/webhook/orders/7',
        'http.response.status_code': 202,
      },
    });
    expect(JSON.stringify(receiver.spans())).not.toContain('s3cret');
    // Exports are batched: once the health check's request is answered, its span would be in the next batch.
    await tracing.processor.forceFlush();
    expect(receiver.spans().map((received) => received.name)).toEqual(['POST /webhook/*']);
  });
});
