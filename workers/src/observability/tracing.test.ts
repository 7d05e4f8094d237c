import { describe, expect, it } from 'vitest';
import { workflowBundleOptions } from '../worker.ts';
import { startWorkerTracing, tracingWorkerOptions } from './tracing.ts';

/** Which environment turns the worker's tracing on, and what it then adds (the trace itself: scripts/e2e/tracing.test.ts). */
describe('worker tracing', () => {
  it('is off, and the bundle has no workflow interceptor, without an OTLP endpoint or when the SDK is disabled', () => {
    expect(startWorkerTracing({})).toBeUndefined();
    expect(startWorkerTracing({ OTEL_SERVICE_NAME: 'w' })).toBeUndefined();
    const endpoint = 'http://127.0.0.1:4318';
    expect(startWorkerTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(startWorkerTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    // Only the run counting of the metrics is in a bundle built without tracing.
    expect(workflowBundleOptions().workflowInterceptorModules).toEqual([expect.stringMatching(/run-counting\.ts$/)]);
  });

  it('on, it adds the workflow interceptors module, the activity interceptors and the span sink', async () => {
    const tracing = startWorkerTracing({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces' });
    expect(tracing?.resource.attributes['service.name']).toBe('flowforge-worker');
    const options = tracingWorkerOptions(tracing as NonNullable<typeof tracing>);
    expect(options.activity).toHaveLength(2);
    expect(Object.keys(options.sinks)).toEqual(['exporter']);
    // Worker.create and prebuilt bundles both take the workflow modules from workflowBundleOptions.
    expect(workflowBundleOptions({ tracing: true }).workflowInterceptorModules).toEqual([
      expect.stringMatching(/run-counting\.ts$/),
      expect.stringMatching(/interceptors-opentelemetry\/lib\/workflow-interceptors\.js$/),
    ]);
    await tracing?.shutdown();
  });

  it('names the variable that is wrong', () => {
    expect(() => startWorkerTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'FF_CONFIG', message: expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT') }),
    );
    expect(() =>
      startWorkerTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(expect.objectContaining({ code: 'FF_CONFIG', hint: expect.stringContaining('http/protobuf') }));
    expect(() =>
      startWorkerTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_BSP_SCHEDULE_DELAY: 'soon' }),
    ).toThrow(
      expect.objectContaining({ code: 'FF_CONFIG', message: expect.stringContaining('OTEL_BSP_SCHEDULE_DELAY') }),
    );
  });
});
