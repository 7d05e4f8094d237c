import {
  EXECUTE_NODE_ACTIVITY,
  ExecuteNodeInputSchema,
  ExecuteNodeResultSchema,
  NodeFailureDetailsSchema,
  type NodeState,
  RunDagInputSchema,
  RunDagResultSchema,
} from '@flowforge/connectors-sdk/contract';
import type { Client } from '@temporalio/client';
import type { z } from 'zod';

type Handle = ReturnType<Client['workflow']['getHandle']>;
type HistoryEvent = NonNullable<Awaited<ReturnType<Handle['fetchHistory']>>['events']>[number];
type Payloads = { payloads?: unknown[] | null } | null | undefined;

/** The marker Temporal's SDK core records for a local activity. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * A finished run's node states, rebuilt from its history when no worker answers its `runState`
 * query: the states the latest execution started with (continue-as-new carries them), then every
 * executeNode activity it scheduled or ran locally, with the attempt, the outputs it returned or the
 * error it failed with, and, for a completed run, the final outputs of its sink nodes (its result). Skipped
 * nodes and what a wait decided inside the workflow leave no activity behind, so they are missing
 * or shown as their activity ended; the run view says so in its note.
 */
export async function nodeStatesFromHistory(client: Client, handle: Handle): Promise<Record<string, NodeState>> {
  const history = await handle.fetchHistory();
  const decode = (payloads: Payloads): unknown => {
    const payload = payloads?.payloads?.[0];
    return payload ? client.options.loadedDataConverter.payloadConverter.fromPayload(payload as never) : undefined;
  };
  const nodes: Record<string, NodeState> = {};
  const scheduled = new Map<string, string>();
  for (const event of history.events ?? []) applyEvent(event, nodes, scheduled, decode);
  return nodes;
}

function applyEvent(
  event: HistoryEvent,
  nodes: Record<string, NodeState>,
  scheduled: Map<string, string>,
  decode: (payloads: Payloads) => unknown,
): void {
  const started = event.workflowExecutionStartedEventAttributes;
  if (started) {
    Object.assign(nodes, parsed(RunDagInputSchema, decode(started.input))?.carried?.nodes);
    return;
  }
  const schedule = event.activityTaskScheduledEventAttributes;
  if (schedule?.activityType?.name === EXECUTE_NODE_ACTIVITY) {
    const input = parsed(ExecuteNodeInputSchema, decode(schedule.input));
    if (!input) return;
    scheduled.set(String(event.eventId), input.node.id);
    nodes[input.node.id] = { status: 'running', attempts: 0, startedAt: timeOf(event) };
    return;
  }
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
    applyLocalActivity(event, marker, nodes, decode);
    return;
  }
  const id = (attributes: { scheduledEventId?: unknown } | null | undefined) =>
    attributes ? scheduled.get(String(attributes.scheduledEventId)) : undefined;
  const done = (nodeId: string | undefined, change: Partial<NodeState>) => {
    const node = nodeId === undefined ? undefined : nodes[nodeId];
    if (node && nodeId !== undefined) nodes[nodeId] = { ...node, ...change, finishedAt: timeOf(event) };
  };
  const completed = event.activityTaskCompletedEventAttributes;
  if (completed) {
    const result = parsed(ExecuteNodeResultSchema, decode(completed.result));
    done(id(completed), { status: 'succeeded', attempts: result?.attempt ?? 1, output: result?.outputs ?? {} });
  }
  const failed = event.activityTaskFailedEventAttributes;
  if (failed) {
    const details = parsed(NodeFailureDetailsSchema, decode(failed.failure?.applicationFailureInfo?.details));
    const error = details?.error ?? {
      code: 'FF_INTERNAL' as const,
      message: failed.failure?.message ?? 'the node failed',
      retryable: false,
    };
    done(id(failed), { status: 'failed', attempts: details?.attempt ?? 1, error });
  }
  const timedOut = event.activityTaskTimedOutEventAttributes;
  if (timedOut) {
    const error = { code: 'FF_NODE_TIMEOUT' as const, message: 'the node ran past its timeout', retryable: true };
    done(id(timedOut), { status: 'failed', error });
  }
  const cancelled = event.activityTaskCanceledEventAttributes;
  if (cancelled) {
    const error = { code: 'FF_CANCELLED' as const, message: 'the node was cancelled', retryable: false };
    done(id(cancelled), { status: 'failed', error });
  }
  const result = event.workflowExecutionCompletedEventAttributes;
  if (result) {
    for (const [nodeId, output] of Object.entries(parsed(RunDagResultSchema, decode(result.result))?.outputs ?? {})) {
      const node = nodes[nodeId];
      if (node) nodes[nodeId] = { ...node, status: 'succeeded', output };
    }
  }
}

type Marker = NonNullable<HistoryEvent['markerRecordedEventAttributes']>;

/**
 * A node run as a local activity (a pure node): one marker per execution, recorded once it ended,
 * with its result or its failure; the node is named in either (ExecuteNodeResult.nodeId).
 */
function applyLocalActivity(
  event: HistoryEvent,
  marker: Marker,
  nodes: Record<string, NodeState>,
  decode: (payloads: Payloads) => unknown,
): void {
  const at = timeOf(event);
  const result = parsed(ExecuteNodeResultSchema, decode(marker.details?.result));
  if (result?.nodeId) {
    const node = { status: 'succeeded', attempts: result.attempt, output: result.outputs } as const;
    nodes[result.nodeId] = { ...node, startedAt: at, finishedAt: at };
    return;
  }
  const details = parsed(NodeFailureDetailsSchema, decode(marker.failure?.applicationFailureInfo?.details));
  if (details?.nodeId) {
    const node = { status: 'failed', attempts: details.attempt, error: details.error } as const;
    nodes[details.nodeId] = { ...node, startedAt: at, finishedAt: at };
  }
}

function parsed<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

function timeOf(event: HistoryEvent): string | undefined {
  const seconds = Number(event.eventTime?.seconds ?? 0);
  if (seconds === 0) return undefined;
  return new Date(seconds * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6)).toISOString();
}
