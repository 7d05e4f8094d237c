import { type OtlpTracing, startOtlpTracing } from '@flowforge/connectors-sdk/otlp-tracing';
import { context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The control plane's traces (OpenTelemetry over OTLP, on when OTEL_EXPORTER_OTLP_ENDPOINT is set; see
 * connectors-sdk/src/observability/otlp-tracing.ts for the variables). A SERVER span per GraphQL
 * request, webhook and approval link is the root of a run's trace (or continues the caller's, from
 * its `traceparent` header); Temporal's client interceptor puts the span's context into the start of
 * `runDag`, and the worker's interceptors carry it on to each node. Off, nothing is registered.
 *
 * The span is made by Fastify hooks, not by @opentelemetry/instrumentation-http: that instruments
 * by patching `node:http` as it is first loaded (require-in-the-middle, import-in-the-middle under
 * ESM), which has to run before Fastify is imported and would trace every request and outgoing call;
 * the hooks see the matched route, and trace only the routes that start or steer runs.
 */
export type ControlPlaneTracing = OtlpTracing;

export const CONTROL_PLANE_SERVICE_NAME = 'flowforge-control-plane';

/** The control plane's tracing, or undefined when the environment turns it off. Throws FF_CONFIG on a bad OTEL_* value. */
export function startControlPlaneTracing(env: NodeJS.ProcessEnv): ControlPlaneTracing | undefined {
  return startOtlpTracing(env, CONTROL_PLANE_SERVICE_NAME);
}

/** For the Temporal client: StartWorkflow (and update-with-start, signal, query) spans, their context in the headers. */
export function tracingClientInterceptors(tracing: ControlPlaneTracing): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
}

/** The routes whose requests start, decide or resume runs. */
const TRACED_ROUTE = /^\/(graphql|webhook|approvals)(\/|$)/;

/** Registers the request spans; call before the routes are registered so that every route gets the hooks. */
export function traceRequests(app: FastifyInstance, tracing: ControlPlaneTracing): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  // Before the API key check: a refused request has its span too.
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route && TRACED_ROUTE.test(route)) {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = tracing.tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          // The path, never the query string: a webhook's query may carry a caller's token.
          attributes: {
            'http.request.method': request.method,
            'http.route': route,
            'url.path': request.url.split('?', 1)[0] ?? '',
            'flowforge.request.id': request.id,
          },
        },
        parent,
      );
      spans.set(request, span);
    }
    done();
  });
  // The body is read between onRequest and here, in callbacks that do not keep the caller's async
  // context: the span becomes the active one for the handler (resolvers, the start of the run) only now.
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(request);
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    spans.get(request)?.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' }).end();
    spans.delete(request);
    done();
  });
}
