import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { FlowForgeError } from '../errors.ts';

/**
 * One process's OTLP trace pipeline, shared by the control plane's and the worker's tracing
 * (control-plane/src/observability/tracing.ts, workers/src/observability/tracing.ts), which wire it
 * into Fastify and Temporal. It follows the OpenTelemetry SDK's environment variables:
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT turns it on (unset: off, and nothing is made),
 * OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL is http/protobuf (the default) or http/json,
 * OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES name the service, OTEL_BSP_SCHEDULE_DELAY says how
 * often spans are sent (ms, default 5000); OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER(_ARG) and
 * the other OTEL_BSP_* are read from the process's environment by the exporter, the provider and the
 * batch processor themselves; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keep it off.
 */
export interface OtlpTracing {
  /** Spans made in this process (the control plane's request spans, the worker's activity spans). */
  tracer: Tracer;
  /** Where spans end: the workflow sandbox's spans are handed to it by the worker's sink. */
  processor: SpanProcessor;
  resource: Resource;
  /** Exports what is buffered and stops; call it once, when the process stops. */
  shutdown(): Promise<void>;
}

const ProtocolSchema = z.enum(['http/protobuf', 'http/json', 'grpc']);

const EnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: 'a URL, like http://127.0.0.1:4318' }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ error: 'a URL, like http://127.0.0.1:4318/v1/traces' }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: ProtocolSchema.default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ProtocolSchema.optional(),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce
    .number({ error: 'a number of milliseconds' })
    .int({ error: 'a whole number of milliseconds' })
    .min(0, { error: 'at least 0' })
    .optional(),
  OTEL_SDK_DISABLED: z.string().optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
});

/**
 * The OTLP pipeline, or undefined when the environment does not ask for one (then the caller
 * registers nothing, and tracing costs nothing). Throws FF_CONFIG naming the variable that is wrong.
 */
export function startOtlpTracing(env: NodeJS.ProcessEnv, defaultServiceName: string): OtlpTracing | undefined {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'OTEL_*');
    throw new FlowForgeError('FF_CONFIG', `${name}: ${issue?.message ?? 'invalid'}`, {
      path: [name],
      hint: `fix ${name} or unset it (tracing is off without OTEL_EXPORTER_OTLP_ENDPOINT)`,
    });
  }
  const settings = parsed.data;
  if (settings.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (settings.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const url = tracesUrl(settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, settings.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!url) return undefined;
  const protocol = settings.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? settings.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol === 'grpc') {
    throw new FlowForgeError('FF_CONFIG', 'OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported', {
      path: ['OTEL_EXPORTER_OTLP_PROTOCOL'],
      hint: "use http/protobuf (the default) or http/json, and the collector's OTLP/HTTP port (4318)",
    });
  }
  installContextPropagation();
  const exporter = protocol === 'http/json' ? new OtlpJsonExporter({ url }) : new OtlpProtobufExporter({ url });
  const delay = settings.OTEL_BSP_SCHEDULE_DELAY;
  const processor = new BatchSpanProcessor(exporter, delay === undefined ? {} : { scheduledDelayMillis: delay });
  const resource = new Resource({ 'service.name': defaultServiceName }).merge(
    detectResourcesSync({ detectors: [envDetectorSync] }),
  );
  // Not registered as the global provider: a control plane and a worker in one process (the tests,
  // the bench) keep a provider, and a service name, each.
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  return {
    tracer: provider.getTracer(defaultServiceName),
    processor,
    resource,
    shutdown: () => provider.shutdown(),
  };
}

/** As the OTLP exporter specification says: a signal's own endpoint as given, the base endpoint + /v1/traces. */
function tracesUrl(tracesEndpoint: string | undefined, endpoint: string | undefined): string | undefined {
  if (tracesEndpoint) return tracesEndpoint;
  if (!endpoint) return undefined;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

let contextInstalled = false;

/**
 * The process-wide parts: Temporal's interceptors read the active span from the global context
 * manager and write it into headers with the global propagator (W3C traceparent). Installed once,
 * and only when tracing is on: until then the API's no-op context costs nothing.
 */
function installContextPropagation(): void {
  if (contextInstalled) return;
  contextInstalled = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
