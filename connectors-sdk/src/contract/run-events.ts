import { z } from 'zod';

/**
 * Live run events: what a run says about itself as it goes (workers/src/workflows/run-events.ts),
 * how the worker hands them to the control plane (`POST RUN_EVENTS_PATH`, batched, with the worker
 * token) and what GraphQL's `runEvents` subscription and `flowforge runs watch` carry. They hold ids,
 * statuses and times, never items: every event fits a PostgreSQL NOTIFY (8000 bytes) with room.
 */

export const RUN_EVENTS_PATH = '/internal/run-events';

export const RunEventKindSchema = z.enum([
  'run.started',
  'node.started',
  'node.succeeded',
  'node.failed',
  'node.waiting',
  'node.skipped',
  'run.completed',
  'run.failed',
  'run.cancelled',
]);

/** The run-level events that end a run: a watcher stops after one of them. */
export const RUN_END_EVENTS = ['run.completed', 'run.failed', 'run.cancelled'] as const;

/** What a waiting node waits for (the run view's `waiting.for`). */
export const RunEventWaitSchema = z.enum(['approval', 'timer', 'webhook', 'subworkflow']);

/** One event as the workflow emits it (the worker adds the run id: the workflow id). */
export const RunEventBodySchema = z.object({
  event: RunEventKindSchema,
  /** ISO time, the run's own clock (workflow time): the same times its run view shows. */
  at: z.string().max(40),
  nodeId: z.string().max(100).optional(),
  /** A node in a core.loop's body: the iteration (from 1) the event is from. */
  iteration: z.int().min(0).optional(),
  /** node.succeeded / node.failed: how many attempts the node took. */
  attempts: z.int().min(0).optional(),
  /** node.waiting: what it waits for. */
  waitingFor: RunEventWaitSchema.optional(),
  /** run.* events: the workflow and version the run runs. */
  workflow: z.object({ name: z.string().max(200), version: z.int() }).optional(),
});

export const RunEventSchema = RunEventBodySchema.extend({ runId: z.string().min(1).max(1000) });

/** The body of `POST RUN_EVENTS_PATH`. */
export const RunEventBatchSchema = z.object({ events: z.array(RunEventSchema).min(1).max(1000) });

export type RunEventKind = z.infer<typeof RunEventKindSchema>;
export type RunEventBody = z.infer<typeof RunEventBodySchema>;
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventBatch = z.infer<typeof RunEventBatchSchema>;
export type RunEventWait = z.infer<typeof RunEventWaitSchema>;

export function isRunEndEvent(kind: RunEventKind): boolean {
  return (RUN_END_EVENTS as readonly string[]).includes(kind);
}
