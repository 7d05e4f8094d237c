import { z } from 'zod';

/**
 * The signed run request's shape (pure: the workflow imports it). Signing and verifying need
 * node:crypto and live in `@flowforge/connectors-sdk/run-request`.
 */

const HASH = /^sha256:[0-9a-f]{64}$/;
export const ContentHashSchema = z.string().regex(HASH, { error: 'a content hash is "sha256:" and 64 hex digits' });

export const ScheduleRefSchema = z.object({ id: z.string().min(1), nodeId: z.string().min(1), timezone: z.string() });

export const TriggerKindSchema = z.enum(['manual', 'webhook', 'schedule', 'retry', 'subworkflow', 'error']);

export const TriggerSchema = z.object({
  kind: TriggerKindSchema,
  by: z.string().optional(),
  /** kind 'retry': the run this one retries. */
  retryOf: z.string().optional(),
  /** kind 'subworkflow' or 'error': the run that started this one. */
  parentRun: z.string().optional(),
  /**
   * kind 'schedule': the Temporal Schedule this request was signed for (its id), the trigger node it
   * belongs to and that node's time zone. Signed, so a worker knows which schedule may start it.
   */
  schedule: ScheduleRefSchema.optional(),
  /** kind 'schedule', on a run's record: when Temporal scheduled it (TemporalScheduledStartTime, ISO). */
  scheduledAt: z.string().optional(),
});

export const RunRequestSchema = z.strictObject({
  /**
   * The run (Temporal workflow) id this request is good for. A request signed for a Temporal Schedule
   * (trigger kind 'schedule') names the schedule action's workflow id instead: Temporal starts each
   * of its runs as `<runId>-<scheduled time>` (contract/scheduled-runs.ts).
   */
  runId: z.string().min(1),
  versionId: z.string().min(1),
  dagHash: ContentHashSchema,
  inputHash: ContentHashSchema,
  trigger: TriggerSchema,
  issuedAt: z.iso.datetime(),
  /**
   * A retry's reused node outputs (RunDagInput.reuse), hashed like the input: a worker marks those
   * nodes succeeded without running them, so the map must be as trustworthy as the DAG.
   */
  reuseHash: ContentHashSchema.optional(),
  /**
   * The published versions this run may start as child runs (core.executeWorkflow) or as its error
   * workflow (RunDagInput.linked), resolved when the run started and hashed like the DAG: a child run
   * is trusted because this request signed the exact DAG it runs.
   */
  linkedHash: ContentHashSchema.optional(),
});

export const SignedRunRequestSchema = z.object({
  request: RunRequestSchema,
  /** base64 Ed25519 signature over the canonical JSON of `request`. */
  signature: z.string(),
});

export type Trigger = z.infer<typeof TriggerSchema>;
export type TriggerKind = z.infer<typeof TriggerKindSchema>;
export type ScheduleRef = z.infer<typeof ScheduleRefSchema>;
export type RunRequest = z.infer<typeof RunRequestSchema>;
export type SignedRunRequest = z.infer<typeof SignedRunRequestSchema>;
