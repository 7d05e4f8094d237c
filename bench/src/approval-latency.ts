import proto from '@temporalio/proto';
import { eventMs } from './history-timings.ts';

const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/**
 * From an approval call to the next node, read from the run's history (the server's clock, which
 * is this machine's clock on a local dev server, so it compares with the time the call was sent).
 */
export interface ApprovalLatency {
  /**
   * The workflow task that ran the update's validator and handler: scheduled (the update reached
   * the history service), started (a worker polled it), completed (the worker answered; includes a
   * replay of the whole history when the run was no longer in the worker's cache).
   */
  taskScheduledMs: number;
  taskStartedMs: number;
  taskCompletedMs: number;
  /** The decide update accepted by the workflow (written in the workflow task that ran its validator). */
  acceptedMs: number;
  /** The next node's executeNode activity scheduled. */
  scheduledMs: number;
  /** The next node's activity picked up by the worker: the node starts running. */
  startedMs: number;
}

/**
 * Times (ms after `sentAtMs`, epoch ms) of the first accepted update and of the first activity
 * scheduled after it and its start. Undefined when the history has not got that far.
 */
export function approvalLatency(events: readonly HistoryEvent[], sentAtMs: number): ApprovalLatency | undefined {
  const accepted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  if (accepted < 0) return undefined;
  const after = events.slice(accepted);
  const scheduled = after.find((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  if (!scheduled) return undefined;
  const started = after.find(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
      Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled.eventId),
  );
  if (!started) return undefined;
  const before = events.slice(0, accepted);
  const last = (type: number) => before.findLast((e) => e.eventType === type);
  const task = [
    last(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
    last(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED),
    last(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
  ].map((event) => (event ? eventMs(event) - sentAtMs : Number.NaN));
  return {
    taskScheduledMs: task[0] as number,
    taskStartedMs: task[1] as number,
    taskCompletedMs: task[2] as number,
    acceptedMs: eventMs(events[accepted] as HistoryEvent) - sentAtMs,
    scheduledMs: eventMs(scheduled) - sentAtMs,
    startedMs: eventMs(started) - sentAtMs,
  };
}
