import type { WorkflowClient } from '@temporalio/client';
import proto from '@temporalio/proto';
import { percentile } from './stats.ts';

const { temporal } = proto;
const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** One workflow task or activity of a run, from its history events. */
export interface HistoryTiming {
  kind: 'wft' | 'activity';
  /** Scheduled → started: how long the task waited in its task queue. */
  waitMs: number;
  /** Started → completed. */
  runMs: number;
  /** Scheduled, ms after the run's first event. */
  atMs: number;
  /** Completed (ms after the run's first event). */
  doneMs: number;
}

/** An event's time, epoch ms (the server's clock). */
export function eventMs(event: HistoryEvent): number {
  const time = event.eventTime;
  if (!time) return Number.NaN;
  return Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6;
}

export interface RunHistory {
  /** The first and last events' times (epoch ms). */
  firstEventMs: number;
  lastEventMs: number;
  timings: HistoryTiming[];
}

/** Pairs the scheduled, started and completed events of every workflow task and activity of a run. */
export async function historyTimings(client: WorkflowClient, workflowId: string): Promise<RunHistory> {
  const history = await client.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const first = events[0];
  const last = events[events.length - 1];
  const origin = first ? eventMs(first) : 0;
  const scheduled = new Map<number, { kind: HistoryTiming['kind']; at: number; started?: number }>();
  const timings: HistoryTiming[] = [];
  for (const event of events) {
    const id = Number(event.eventId);
    const at = eventMs(event) - origin;
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        scheduled.set(id, { kind: 'wft', at });
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(id, { kind: 'activity', at });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const attrs = event.workflowTaskStartedEventAttributes ?? event.activityTaskStartedEventAttributes;
        const task = scheduled.get(Number(attrs?.scheduledEventId));
        if (task) task.started = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attrs = event.workflowTaskCompletedEventAttributes ?? event.activityTaskCompletedEventAttributes;
        const task = scheduled.get(Number(attrs?.scheduledEventId));
        if (task?.started === undefined) break;
        timings.push({
          kind: task.kind,
          waitMs: task.started - task.at,
          runMs: at - task.started,
          atMs: task.at,
          doneMs: at,
        });
        break;
      }
    }
  }
  return { firstEventMs: origin, lastEventMs: last ? eventMs(last) : origin, timings };
}

interface Spread {
  p50: number;
  p90: number;
  max: number;
}

function spread(samples: number[]): Spread {
  return { p50: percentile(samples, 50), p90: percentile(samples, 90), max: Math.max(...samples) };
}

/** The figures diagnose.ts prints for one run. */
export function summarize(timings: HistoryTiming[]) {
  const wfts = timings.filter((t) => t.kind === 'wft');
  const activities = timings.filter((t) => t.kind === 'activity');
  // From an activity's completion to the start of the workflow task that reacts to it.
  const actToWft = activities.flatMap((activity) => {
    const next = wfts.find((wft) => wft.atMs >= activity.doneMs - 0.001);
    return next ? [next.atMs + next.waitMs - activity.doneMs] : [];
  });
  return {
    activities: activities.length,
    workflowTasks: wfts.length,
    spanMs: Math.max(0, ...timings.map((t) => t.doneMs)),
    wftWait: spread(wfts.map((t) => t.waitMs)),
    wftRun: spread(wfts.map((t) => t.runMs)),
    actWait: spread(activities.map((t) => t.waitMs)),
    actRun: spread(activities.map((t) => t.runMs)),
    actToWft: spread(actToWft),
  };
}
