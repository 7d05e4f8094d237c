import { isRunEndEvent, type RunEvent } from '@flowforge/connectors-sdk/contract';
import type { RunViewDeps } from '../runs/run-view.ts';
import { EventQueue } from './event-queue.ts';
import type { RunEventBus } from './run-event-bus.ts';
import { RunProgress, snapshotEvents } from './run-progress.ts';
import { readRunSnapshot } from './run-snapshot.ts';

export interface RunEventStreamDeps extends RunViewDeps {
  bus: RunEventBus;
  /** A subscription that heard nothing for this long reads the run's state again. Default 10 s. */
  reconcileEveryMs?: number;
}

/**
 * One `runEvents(runId)` subscription: the run's current state first, then its live events, with
 * no gap and no repeat at the seam. It LISTENs before it reads the state, holds what arrives
 * meanwhile, and passes on only what moves the run on (./run-progress.ts). Events are not durable
 * (a worker that could not reach the control plane dropped them, a replica that was not listening
 * missed them): a subscription that heard nothing for `reconcileEveryMs` reads the state again and
 * passes on what it missed, so it still ends, with the run's real end, when an event was lost (or
 * when Temporal ended the run on its own: a run timeout). Ends after run.completed/failed/cancelled.
 */
export async function runEventStream(
  deps: RunEventStreamDeps,
  runId: string,
): Promise<AsyncIterableIterator<RunEvent>> {
  const progress = new RunProgress();
  const queue = new EventQueue<RunEvent>();
  let heardAt = Date.now();
  let held: RunEvent[] | undefined = [];
  const offer = (event: RunEvent) => {
    if (!progress.accept(event)) return;
    heardAt = Date.now();
    queue.push(event);
    if (isRunEndEvent(event.event)) queue.end();
  };
  const unsubscribe = await deps.bus.subscribe(runId, {
    onEvents: (events) => (held ? held.push(...events) : events.forEach(offer)),
    onLost: (error) => queue.fail(error),
  });
  try {
    for (const event of snapshotEvents(await readRunSnapshot(deps, runId))) offer(event);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  for (const event of held) offer(event);
  held = undefined;

  const everyMs = deps.reconcileEveryMs ?? 10_000;
  let reading = false;
  const timer = setInterval(
    () => {
      if (reading || progress.ended || Date.now() - heardAt < everyMs) return;
      reading = true;
      readRunSnapshot(deps, runId)
        .then((snapshot) => {
          heardAt = Date.now();
          for (const event of snapshotEvents(snapshot)) offer(event);
        })
        // Temporal or the database away: try again at the next tick; the live events still flow.
        .catch(() => undefined)
        .finally(() => {
          reading = false;
        });
    },
    Math.min(everyMs, 1_000),
  );
  timer.unref();
  queue.whenClosed(() => {
    clearInterval(timer);
    unsubscribe();
  });
  return queue;
}
