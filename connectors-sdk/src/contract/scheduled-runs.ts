import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { z } from 'zod';

/**
 * Runs started by a Temporal Schedule (trigger.schedule). A Schedule's action arguments are fixed,
 * so the control plane signs one request per schedule and version, whose `runId` is the action's
 * workflow id; Temporal starts every run of the schedule as `<that id>-<scheduled time>` (the time
 * in RFC 3339 to the second, UTC) and records on it, as search attributes, the schedule that
 * started it and the time it was scheduled for. Pure: the workflow and the control plane use it.
 */

/** Search attributes Temporal's scheduler sets on the runs it starts (system attributes). */
export const TEMPORAL_SCHEDULED_BY_ID = 'TemporalScheduledById';
export const TEMPORAL_SCHEDULED_START_TIME = 'TemporalScheduledStartTime';
export const SCHEDULED_BY_ID_KEY = defineSearchAttributeKey(TEMPORAL_SCHEDULED_BY_ID, SearchAttributeType.KEYWORD);
export const SCHEDULED_START_TIME_KEY = defineSearchAttributeKey(
  TEMPORAL_SCHEDULED_START_TIME,
  SearchAttributeType.DATETIME,
);

const SUFFIX = /^-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/;

/**
 * The time Temporal appended to `prefix` to make `workflowId`, as an ISO string, or undefined when
 * `workflowId` is not `<prefix>-<RFC 3339 time to the second>`.
 */
export function scheduledTimeOf(workflowId: string, prefix: string): string | undefined {
  if (!workflowId.startsWith(prefix)) return undefined;
  const match = SUFFIX.exec(workflowId.slice(prefix.length));
  if (!match?.[1]) return undefined;
  const time = Date.parse(match[1]);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** What trigger.schedule outputs: one item, ISO times. */
export const ScheduleTriggerItemSchema = z.object({
  /** The time Temporal scheduled the run for (TemporalScheduledStartTime). */
  scheduledAt: z.string(),
  /** When the run started. */
  firedAt: z.string(),
  /** The trigger's time zone (its cron expressions are read in it). */
  timezone: z.string(),
});

/**
 * One Temporal Schedule of an active workflow as the API shows it (GraphQL `schedules`, `flowforge
 * schedules list --json`, which prints workflow, version, spec, nextRuns and paused): read from
 * Temporal's describe of the schedule. `spec` is the trigger node's parameters as its workflow file
 * wrote them.
 */
export const ScheduleViewSchema = z.object({
  workflow: z.string(),
  version: z.int(),
  nodeId: z.string(),
  scheduleId: z.string(),
  spec: z.record(z.string(), z.unknown()),
  /** The next times it fires (ISO), soonest first, as Temporal computes them (while paused: once resumed). */
  nextRuns: z.array(z.string()),
  paused: z.boolean(),
  /** Set when Temporal does not have the schedule the active version should have. */
  note: z.string().nullish(),
});

/** A run `triggerSchedule` started: which schedule, and the run's id (null when Temporal did not say in time). */
export const TriggeredScheduleSchema = z.object({
  workflow: z.string(),
  version: z.int(),
  nodeId: z.string(),
  runId: z.string().nullable(),
});

export type ScheduleTriggerItem = z.infer<typeof ScheduleTriggerItemSchema>;
export type ScheduleView = z.infer<typeof ScheduleViewSchema>;
export type TriggeredSchedule = z.infer<typeof TriggeredScheduleSchema>;
