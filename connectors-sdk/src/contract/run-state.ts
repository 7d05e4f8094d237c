import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { ApprovalWaitSchema } from './approvals.ts';
import { SubworkflowWaitSchema } from './child-runs.ts';
import { LoopProgressSchema } from './loop-state.ts';
import { NodeOutputSchema } from './port-output.ts';
import { WebhookWaitSchema } from './webhook-resume.ts';

/**
 * A run's progress as `runDag` keeps it and answers the `runState` query (pure: the workflow
 * imports it). Temporal is the system of record: the control plane reads this, it never stores it.
 */

export const NodeStatusSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'waiting']);
export const RunStatusSchema = z.enum(['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/** What a `waiting` node waits for: a person's decision, its resume webhook, or its child run. */
export const NodeWaitSchema = z.discriminatedUnion('kind', [
  ApprovalWaitSchema,
  WebhookWaitSchema,
  SubworkflowWaitSchema,
]);

export const NodeStateSchema = z.object({
  status: NodeStatusSchema,
  attempts: z.int(),
  output: NodeOutputSchema.optional(),
  error: SerializedErrorSchema.optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** For a durable wait: until when (ISO). */
  waitingUntil: z.string().optional(),
  waitingFor: NodeWaitSchema.optional(),
  /** A retry took this node's output from the original run instead of running it. */
  reused: z.boolean().optional(),
  /** core.executeWorkflow: the child run it started. */
  childRun: z.string().optional(),
  /** A core.loop node: which batch its body is on and how far it got. */
  loop: LoopProgressSchema.optional(),
  /** A node in a loop's body: the iteration (from 1) its state is from. */
  iteration: z.int().optional(),
});

export const RunStateSchema = z.object({
  status: RunStatusSchema,
  nodes: z.record(z.string(), NodeStateSchema),
  error: SerializedErrorSchema.optional(),
  /** Paused by the `pause` update: running nodes finish, no new node starts until `resume`. */
  paused: z.boolean().optional(),
  /** The run this one started as its error workflow (settings.errorWorkflow) when it failed. */
  errorRun: z.string().optional(),
});

/** What `runDag` returns when it completes: the outputs of the sink nodes (no outgoing edges). */
export const RunDagResultSchema = z.object({
  status: z.literal('COMPLETED'),
  outputs: z.record(z.string(), NodeOutputSchema),
});

/** What `pause` and `resume` answer: the flag after the update. */
export const RunControlAckSchema = z.object({ paused: z.boolean() });

export type NodeStatus = z.infer<typeof NodeStatusSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type NodeWait = z.infer<typeof NodeWaitSchema>;
export type NodeState = z.infer<typeof NodeStateSchema>;
export type RunState = z.infer<typeof RunStateSchema>;
export type RunDagResult = z.infer<typeof RunDagResultSchema>;
export type RunControlAck = z.infer<typeof RunControlAckSchema>;
