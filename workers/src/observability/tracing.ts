import { createRequire } from 'node:module';
import {
  EXECUTE_NODE_ACTIVITY,
  type ExecuteNodeInput,
  type ExecuteNodeResult,
} from '@flowforge/connectors-sdk/contract';
import { type OtlpTracing, startOtlpTracing } from '@flowforge/connectors-sdk/otlp-tracing';
import { trace } from '@opentelemetry/api';
import type { Context as ActivityContext } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next, WorkerOptions } from '@temporalio/worker';

/**
 * The worker's traces (OpenTelemetry over OTLP, on when OTEL_EXPORTER_OTLP_ENDPOINT is set; see
 * connectors-sdk/src/observability/otlp-tracing.ts for the variables). Temporal's interceptors carry
 * the trace from the control plane's start through `runDag` (RunWorkflow, StartActivity spans, made
 * in the sandbox and handed out by a sink) to each activity (RunActivity:executeNode), which gets the
 * node's type, id, attempt and outcome as attributes. Off, none of it is registered: no workflow
 * interceptor in the bundle, no sink, no activity interceptor.
 */
export type WorkerTracing = OtlpTracing;

export const WORKER_SERVICE_NAME = 'flowforge-worker';

/** The worker's tracing, or undefined when the environment turns it off. Throws FF_CONFIG on a bad OTEL_* value. */
export function startWorkerTracing(env: NodeJS.ProcessEnv): WorkerTracing | undefined {
  return startOtlpTracing(env, WORKER_SERVICE_NAME);
}

/**
 * Temporal's workflow interceptors (inbound: RunWorkflow spans linked to the start's context;
 * outbound: StartActivity spans whose context travels in the activity's headers). A module of the
 * workflow bundle: a prebuilt bundle has it only when built with `workflowBundleOptions({ tracing: true })`.
 */
export function tracingWorkflowModules(): string[] {
  return [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
}

/** What Worker.create gets besides its usual options when tracing is on (the workflow modules: workflowBundleOptions). */
export function tracingWorkerOptions(tracing: WorkerTracing): {
  activity: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
  sinks: NonNullable<WorkerOptions['sinks']>;
} {
  const { tracer } = tracing;
  return {
    // The first is the outermost: the node's attributes are set on the span Temporal's interceptor opened.
    activity: [
      (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }) }),
      (ctx) => ({ inbound: new NodeSpanAttributes(ctx) }),
    ],
    // Spans ended in the workflow sandbox leave it through this sink (not called on replay).
    sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) },
  };
}

/** Span attribute names of an executeNode span. */
export const NODE_SPAN_ATTRIBUTES = {
  nodeId: 'flowforge.node.id',
  nodeType: 'flowforge.node.type',
  attempt: 'flowforge.node.attempt',
  /** success | failed | cancelled */
  outcome: 'flowforge.node.outcome',
  /** The FF_* code (the ApplicationFailure's type) of a failed attempt. */
  errorCode: 'flowforge.node.error_code',
  /** What a successful node asked the run to do next (timer, approval, webhook, subworkflow, respond). */
  effect: 'flowforge.node.effect',
  runId: 'flowforge.run.id',
  workflowName: 'flowforge.workflow.name',
  workflowVersion: 'flowforge.workflow.version',
} as const;

class NodeSpanAttributes implements ActivityInboundCallsInterceptor {
  private readonly ctx: ActivityContext;

  constructor(ctx: ActivityContext) {
    this.ctx = ctx;
  }

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const span = trace.getActiveSpan();
    if (!span || this.ctx.info.activityType !== EXECUTE_NODE_ACTIVITY) return next(input);
    const { run, node } = input.args[0] as ExecuteNodeInput;
    span.setAttributes({
      [NODE_SPAN_ATTRIBUTES.nodeId]: node.id,
      [NODE_SPAN_ATTRIBUTES.nodeType]: node.type,
      [NODE_SPAN_ATTRIBUTES.attempt]: this.ctx.info.attempt,
      [NODE_SPAN_ATTRIBUTES.runId]: run.id,
      [NODE_SPAN_ATTRIBUTES.workflowName]: run.workflow.name,
      [NODE_SPAN_ATTRIBUTES.workflowVersion]: run.workflow.version,
    });
    try {
      const result = (await next(input)) as ExecuteNodeResult;
      span.setAttribute(NODE_SPAN_ATTRIBUTES.outcome, 'success');
      if (result.effect) span.setAttribute(NODE_SPAN_ATTRIBUTES.effect, result.effect.kind);
      return result;
    } catch (error) {
      span.setAttribute(NODE_SPAN_ATTRIBUTES.outcome, error instanceof CancelledFailure ? 'cancelled' : 'failed');
      if (error instanceof ApplicationFailure && error.type)
        span.setAttribute(NODE_SPAN_ATTRIBUTES.errorCode, error.type);
      throw error;
    }
  }
}
