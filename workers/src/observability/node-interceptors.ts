import type { ExecuteNodeInput } from '@flowforge/connectors-sdk/contract';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { NodeOutcome, WorkerMetrics } from './metrics.ts';

export interface NodeObservabilityOptions {
  /** Counts every executeNode attempt in flowforge_node_duration_seconds; absent: nothing is measured. */
  metrics?: WorkerMetrics | undefined;
  /** One `node finished` line per attempt (FLOWFORGE_LOG_LEVEL info or lower). */
  logNodes?: boolean;
}

/** What every log line of a node's activity carries, besides the SDK's own (activityId, attempt, workflowId...). */
interface NodeLogAttributes {
  runId: string;
  nodeId: string;
  nodeType: string;
  attempt: number;
  workflow: string;
  version: number;
}

/**
 * executeNode as seen from outside (remote and local activities alike): the run's and node's ids on
 * every log line the activity writes (the SDK's own "Activity failed" included), and, when asked
 * for, the attempt's duration and one log line. Never the node's parameters, inputs or outputs:
 * they may hold what a credential gave the node.
 */
export function nodeInterceptors(options: NodeObservabilityOptions): ActivityInterceptorsFactory {
  const { metrics, logNodes = false } = options;
  return (context) => {
    if (context.info.activityType !== 'executeNode') return {};
    let attributes: NodeLogAttributes | undefined;
    return {
      outbound: {
        getLogAttributes: (input, next) => next(attributes ? { ...input, ...attributes } : input),
      },
      inbound: {
        async execute(input, next) {
          const node = input.args[0] as ExecuteNodeInput;
          attributes = {
            runId: node.run.id,
            nodeId: node.node.id,
            nodeType: node.node.type,
            attempt: context.info.attempt,
            workflow: node.run.workflow.name,
            version: node.run.workflow.version,
          };
          if (!metrics && !logNodes) return next(input);
          const started = performance.now();
          let outcome: NodeOutcome = 'failed';
          try {
            const result = await next(input);
            outcome = 'succeeded';
            return result;
          } catch (error) {
            if (error instanceof CancelledFailure) outcome = 'cancelled';
            throw error;
          } finally {
            const seconds = (performance.now() - started) / 1000;
            metrics?.nodeFinished(node.node.type, outcome, seconds);
            if (logNodes) context.log.info('node finished', { outcome, durationMs: Math.round(seconds * 1000) });
          }
        },
      },
    };
  };
}
