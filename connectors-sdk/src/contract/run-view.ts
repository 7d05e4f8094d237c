import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { ApprovalWaitSchema } from './approvals.ts';
import { SubworkflowWaitSchema } from './child-runs.ts';
import { LoopProgressSchema } from './loop-state.ts';
import { NodeOutputSchema } from './port-output.ts';
import { TriggerSchema } from './run-request.ts';
import { RunStatusSchema } from './run-state.ts';

/**
 * A run as the API shows it (GraphQL `RunView`, `flowforge runs show --json`, `run --wait --json`):
 * a contract. The control plane builds it from Temporal; every client parses it with these schemas.
 */

export const RunWorkflowSchema = z.object({ name: z.string(), version: z.int() });

/** What a `waiting` node waits for, since and until when. */
export const NodeWaitViewSchema = z.discriminatedUnion('for', [
  z.object({ for: z.literal('timer'), since: z.string().optional(), until: z.string() }),
  ApprovalWaitSchema.omit({ kind: true }).extend({ for: z.literal('approval') }),
  /** core.wait with resume: "webhook": POST JSON to `url` (signed, single use) to resume the run. */
  z.object({ for: z.literal('webhook'), url: z.string(), since: z.string(), until: z.string().optional() }),
  /** core.executeWorkflow: waiting for its child run to end. */
  SubworkflowWaitSchema.omit({ kind: true }).extend({ for: z.literal('subworkflow') }),
]);

/** One node as the API and the CLI show it. Nodes that have not started are left out. */
export const NodeViewSchema = z.object({
  status: z.enum(['running', 'waiting', 'succeeded', 'failed', 'skipped']),
  output: NodeOutputSchema,
  attempts: z.int(),
  error: SerializedErrorSchema.optional(),
  waiting: NodeWaitViewSchema.optional(),
  /** A retry took this output from the original run. */
  reused: z.literal(true).optional(),
  /** core.executeWorkflow: the child run it started (`flowforge runs show <id>`). */
  childRun: z.string().optional(),
  /** A core.loop node: the batch its body is on (from 1), of how many, and the items done so far. */
  loop: LoopProgressSchema.optional(),
  /** A node in a loop's body: the iteration its state is from. */
  iteration: z.int().optional(),
});

/** GraphQL answers null for absent optional fields: both read as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .transform((value) => value ?? undefined)
    .optional();

export const RunViewSchema = z.object({
  runId: z.string(),
  status: RunStatusSchema,
  workflow: RunWorkflowSchema,
  nodes: z.record(z.string(), NodeViewSchema),
  error: optional(SerializedErrorSchema),
  /** ISO times. */
  startedAt: optional(z.string()),
  finishedAt: optional(z.string()),
  /** Why `nodes` may be incomplete, or what a run that shows no progress waits for. */
  note: optional(z.string()),
  /** RUNNING but paused: no new node starts until resumed. */
  paused: optional(z.boolean()),
  /** Nodes whose outputs a retry reused from the original run. */
  reused: optional(z.array(z.string())),
  /** The error workflow's run this run started when it failed (settings.errorWorkflow). */
  errorRun: optional(z.string()),
  /**
   * How the run started (its Run record): `{ kind: "manual", by }`, `{ kind: "schedule", schedule,
   * scheduledAt }`, `{ kind: "webhook" }`, `{ kind: "retry", retryOf }`, `{ kind: "subworkflow" |
   * "error", parentRun }`.
   */
  trigger: optional(TriggerSchema),
});

/**
 * One approval waiting for the caller (GraphQL `approvals`, `flowforge approvals list --json`, where
 * an absent message or until is `null`).
 */
export const PendingApprovalSchema = ApprovalWaitSchema.omit({ kind: true }).extend({
  runId: z.string(),
  workflow: RunWorkflowSchema,
  nodeId: z.string(),
  message: z.string().nullish(),
  until: z.string().nullish(),
});

export type RunWorkflow = z.infer<typeof RunWorkflowSchema>;
export type NodeWaitView = z.infer<typeof NodeWaitViewSchema>;
export type NodeView = z.infer<typeof NodeViewSchema>;
/** The parsed view (what clients work with). */
export type RunView = z.infer<typeof RunViewSchema>;
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;
