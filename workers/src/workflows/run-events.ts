import type { NodeState, RunEventBody, RunEventKind, RunEventWait } from '@flowforge/connectors-sdk/contract';
import { proxySinks, type Sinks } from '@temporalio/workflow';

/**
 * The run's live events leave the workflow through a Temporal sink: the call is recorded with the
 * workflow task and handed to the worker (workers/src/events/run-event-sinks.ts) when the task
 * completes, outside the deterministic sandbox. A sink adds no command to history, so histories
 * recorded before it replay unchanged, and the SDK does not call it while it replays (a run taken
 * up again after a worker restart does not repeat its old events). Sinks are not durable: an event
 * may be lost (a crash between the task and the hand-off) or repeated (a workflow task that failed
 * and ran again); watchers dedupe, and fall back on the run view (control-plane/src/events/).
 */
export interface RunEventSinks extends Sinks {
  runEvents: { emit(event: RunEventBody): void };
}

const { runEvents } = proxySinks<RunEventSinks>();

export function emitRunEvent(event: RunEventBody): void {
  runEvents.emit(event);
}

/** The event a node's state change makes, if any: a new status, or the same one in a new loop iteration. */
export function nodeChangeEvent(
  nodeId: string,
  before: NodeState | undefined,
  after: NodeState,
  now: () => string,
): RunEventBody | undefined {
  const kind = NODE_EVENTS[after.status];
  if (!kind) return undefined;
  if (before && before.status === after.status && before.iteration === after.iteration) return undefined;
  const ended = kind === 'node.succeeded' || kind === 'node.failed';
  const waitingFor = kind === 'node.waiting' ? waitOf(after) : undefined;
  return {
    event: kind,
    nodeId,
    at: (ended ? after.finishedAt : undefined) ?? (kind === 'node.started' ? after.startedAt : undefined) ?? now(),
    ...(after.iteration !== undefined ? { iteration: after.iteration } : {}),
    ...(ended ? { attempts: after.attempts } : {}),
    ...(waitingFor ? { waitingFor } : {}),
  };
}

const NODE_EVENTS: Record<NodeState['status'], RunEventKind | undefined> = {
  pending: undefined,
  running: 'node.started',
  waiting: 'node.waiting',
  succeeded: 'node.succeeded',
  failed: 'node.failed',
  skipped: 'node.skipped',
};

function waitOf(node: NodeState): RunEventWait {
  if (node.waitingFor?.kind === 'webhook') return 'webhook';
  if (node.waitingFor?.kind === 'subworkflow') return 'subworkflow';
  if (node.waitingFor) return 'approval';
  return 'timer';
}
