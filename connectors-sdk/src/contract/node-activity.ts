import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { NodeEffectSchema } from '../node-effect.ts';
import { NodeOutputSchema, PortOutputSchema } from './port-output.ts';

/**
 * The `executeNode` activity's input, result and failure details: what `runDag` sends and gets for
 * each node, and so what Temporal history holds for it. The control plane reads them back from
 * history when no worker can answer a run's query (runs/history-states.ts).
 */
export const EXECUTE_NODE_ACTIVITY = 'executeNode';

export const ExecuteNodeInputSchema = z.object({
  /** `iteration`: a loop body node's iteration (> 0 only), part of its idempotency key. */
  run: z.object({
    id: z.string(),
    workflow: z.object({ name: z.string(), version: z.int() }),
    input: z.unknown().optional(),
    iteration: z.int().optional(),
  }),
  /** `credentials`: the names the node's slots hold (never values); absent when it names none. */
  node: z.object({
    id: z.string(),
    type: z.string(),
    params: z.record(z.string(), z.unknown()),
    credentials: z.record(z.string(), z.string()).optional(),
  }),
  /** Live inputs per input port; each entry is one edge's items (or a stored reference to them). */
  inputs: z.record(z.string(), z.array(PortOutputSchema)),
  /** Outputs of the earlier nodes the parameters reference with `$('id')`. */
  nodeOutputs: z.record(z.string(), NodeOutputSchema),
});

export const ExecuteNodeResultSchema = z.object({
  outputs: NodeOutputSchema,
  /**
   * What the node asked the run to do before its outputs are delivered: a timer, a decision
   * (`outputs.approved` holds the items until then), its resume webhook, or a child run.
   */
  effect: NodeEffectSchema.optional(),
  /** Which attempt succeeded (1 = the first). */
  attempt: z.int(),
  /**
   * The node that ran: a local activity's history marker does not record its input, so the run
   * view rebuilt from history reads the node from here (absent in results recorded before).
   */
  nodeId: z.string().optional(),
});

/** `details[0]` of the ApplicationFailure an executeNode attempt fails with. */
export const NodeFailureDetailsSchema = z.object({
  error: SerializedErrorSchema,
  attempt: z.int(),
  /** As in ExecuteNodeResult. */
  nodeId: z.string().optional(),
});

export type ExecuteNodeInput = z.infer<typeof ExecuteNodeInputSchema>;
export type ExecuteNodeResult = z.infer<typeof ExecuteNodeResultSchema>;
export type NodeFailureDetails = z.infer<typeof NodeFailureDetailsSchema>;
