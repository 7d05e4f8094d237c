import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local OTLP/HTTP trace receiver (127.0.0.1, random port) for the tracing tests: it takes what an
 * exporter POSTs to /v1/traces, in protobuf (the default protocol) or JSON (http/json), answers as a
 * collector does (200), and keeps every span with its service name and its attributes as plain values.
 */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Absent for a trace's root. */
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
}

export interface OtlpReceiver {
  /** The OTEL_EXPORTER_OTLP_ENDPOINT to give the exporters. */
  endpoint: string;
  spans(): ReceivedSpan[];
  /** Resolves with the spans received so far once `done(spans)` is true; rejects after `timeoutMs` with what came. */
  waitFor(done: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

const AnyValueSchema = z.object({
  stringValue: z.string().optional(),
  intValue: z.union([z.number(), z.string()]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
});
const AttributesSchema = z.array(z.object({ key: z.string(), value: AnyValueSchema })).default([]);
const ExportRequestSchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: AttributesSchema }).optional(),
      scopeSpans: z.array(
        z.object({
          spans: z.array(
            z.object({
              traceId: z.string(),
              spanId: z.string(),
              parentSpanId: z.string().optional(),
              name: z.string(),
              kind: z.number(),
              attributes: AttributesSchema,
              status: z.object({ code: z.number().optional() }).optional(),
            }),
          ),
        }),
      ),
    }),
  ),
});

function plainAttributes(attributes: z.infer<typeof AttributesSchema>): Record<string, string | number | boolean> {
  const plain: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (v !== undefined) plain[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return plain;
}

interface ProtobufMessageType {
  decode(body: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

// The exporter's own generated protobuf code (OpenTelemetry JS has no public decoder): the same
// schema it encodes with, so the receiver reads exactly what http/protobuf sends.
const ExportTraceServiceRequest = (
  createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
    opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtobufMessageType } } } } };
  }
).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** A protobuf request in the JSON encoding's shape: ids as hex, 64-bit integers as strings. */
function decodeProtobuf(body: Buffer): unknown {
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), {
    longs: String,
    bytes: String,
    enums: Number,
  });
  const hex = (base64: unknown) =>
    typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('hex') : base64;
  for (const resourceSpans of (request.resourceSpans ?? []) as Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>) {
    for (const span of (resourceSpans.scopeSpans ?? []).flatMap((scope) => scope.spans ?? []) as Array<
      Record<string, unknown>
    >) {
      span.traceId = hex(span.traceId);
      span.spanId = hex(span.spanId);
      span.parentSpanId = span.parentSpanId ? hex(span.parentSpanId) : undefined;
      span.kind ??= 0;
    }
  }
  return request;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks);
      const protobuf = request.headers['content-type'] === 'application/x-protobuf';
      const parsed = ExportRequestSchema.safeParse(protobuf ? decodeProtobuf(body) : parseJson(body.toString('utf8')));
      if (!parsed.success) {
        // Said in the test's failure (the spans expected never arrive), not thrown into the server.
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: parsed.error }));
        return;
      }
      for (const resourceSpans of parsed.data.resourceSpans) {
        const service = String(plainAttributes(resourceSpans.resource?.attributes ?? [])['service.name'] ?? '');
        for (const span of resourceSpans.scopeSpans.flatMap((scope) => scope.spans)) {
          received.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind,
            attributes: plainAttributes(span.attributes),
            status: span.status?.code ?? 0,
          });
        }
      }
      // An empty ExportTraceServiceResponse, in either encoding.
      if (protobuf) response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    waitFor(done, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(received)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve([...received]);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          const names = received.map((span) => `${span.service} ${span.name}`).join(', ');
          reject(new Error(`the spans expected did not arrive in ${timeoutMs} ms; received: ${names}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
