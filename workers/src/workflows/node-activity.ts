import type { RetryPolicy as NodeRetry, SerializedError, WorkflowNode } from '@flowforge/connectors-sdk';
import type { Duration } from '@temporalio/common';
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  type LocalActivityOptions,
  type RetryPolicy,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { NodeFailureDetails, NodeHeartbeat } from '../activities/contract.ts';

/** A node that heartbeats (every second) and goes silent this long is treated as lost. */
const HEARTBEAT_TIMEOUT = '30s';
/** Only when neither the node nor its type says: every registered type has a default. */
const FALLBACK_TIMEOUT = '5m';

/** The node's `retry` setting as a Temporal retry policy; no setting means exactly one attempt. */
export function retryPolicy(retry: NodeRetry | undefined): RetryPolicy {
  // Temporal's default is to retry forever: a node without a retry setting must run once.
  if (!retry) return { maximumAttempts: 1 };
  return {
    maximumAttempts: retry.maxAttempts,
    // DurationSchema accepts exactly the `ms` strings Temporal parses.
    initialInterval: retry.initialInterval as Duration,
    backoffCoefficient: retry.backoffCoefficient,
    ...(retry.maximumInterval ? { maximumInterval: retry.maximumInterval as Duration } : {}),
  };
}

export function nodeActivityOptions(
  node: WorkflowNode,
  defaultTimeout: string | undefined,
  iteration = 0,
): ActivityOptions {
  return {
    // The node id as the activity id: Temporal Web then lists activities by node (and by
    // iteration for the body of a core.loop after its first batch).
    activityId: iteration > 0 ? `${node.id}:${iteration}` : node.id,
    summary: `${node.id} (${node.type})`,
    startToCloseTimeout: (node.timeout ?? defaultTimeout ?? FALLBACK_TIMEOUT) as Duration,
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: retryPolicy(node.retry),
  };
}

/** The same node as a local activity: no activity id or heartbeat timeout (the worker runs it itself). */
export function localActivityOptions(options: ActivityOptions): LocalActivityOptions {
  return {
    ...(options.summary ? { summary: options.summary } : {}),
    ...(options.startToCloseTimeout ? { startToCloseTimeout: options.startToCloseTimeout } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  };
}

export interface NodeFailure {
  error: SerializedError;
  attempts: number;
}

/** Reads what went wrong from an executeNode failure: the node's error and how many attempts ran. */
export function describeNodeFailure(node: WorkflowNode, failure: unknown): NodeFailure {
  const maxAttempts = node.retry?.maxAttempts ?? 1;
  const cause = failure instanceof ActivityFailure ? failure.cause : failure;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as NodeFailureDetails | undefined;
    if (details?.error) return { error: details.error, attempts: details.attempt };
    return { error: internalError(`node "${node.id}" failed: ${cause.message}`), attempts: maxAttempts };
  }
  if (cause instanceof TimeoutFailure) {
    const heartbeat = cause.lastHeartbeatDetails as NodeHeartbeat | undefined;
    const limit = node.timeout ? `its timeout of ${node.timeout}` : "its node type's default timeout";
    return {
      error: {
        code: 'FF_NODE_TIMEOUT',
        message:
          cause.timeoutType === 'HEARTBEAT'
            ? `node "${node.id}" stopped heartbeating (its worker is gone or blocked)`
            : `node "${node.id}" ran past ${limit}`,
        hint: 'raise the node\'s "timeout" setting or make the node faster',
        retryable: true,
      },
      // Timeouts are retried until the policy gives up, so the last attempt was the last allowed.
      attempts: heartbeat?.attempt ?? maxAttempts,
    };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { error: internalError(`node "${node.id}" failed: ${message}`), attempts: maxAttempts };
}

function internalError(message: string): SerializedError {
  return { code: 'FF_INTERNAL', message, retryable: false };
}

/**
 * A node failure raised in the workflow itself (a wait that timed out, a child run that failed):
 * shaped like an executeNode failure, so `describeNodeFailure` reads it and the node's onError applies.
 */
export function nodeFailure(error: SerializedError, attempt = 1): ApplicationFailure {
  const details: NodeFailureDetails = { error, attempt };
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: true,
    details: [details],
  });
}
