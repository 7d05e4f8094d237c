import { z } from 'zod';
import { WorkflowDefinitionSchema } from '../workflow-definition.ts';
import { LinkedWorkflowsSchema, StartedBySchema } from './child-runs.ts';
import { LoopsCarrySchema } from './loop-state.ts';
import { NodeOutputSchema } from './port-output.ts';
import { SignedRunRequestSchema } from './run-request.ts';
import { NodeStateSchema } from './run-state.ts';

/** A retry: outputs of the nodes that succeeded in the original run, by node id. */
export const ReuseMapSchema = z.record(z.string(), NodeOutputSchema);

/**
 * Carried over continue-as-new. Every node's status, attempts, times and error are kept; outputs
 * nobody needs any more (all consumers finished, no pending `$('id')` reader, not a sink) are dropped.
 */
export const CarriedStateSchema = z.object({
  nodes: z.record(z.string(), NodeStateSchema),
  paused: z.boolean().optional(),
  /** core.loop progress: cursors and collected results. */
  loops: LoopsCarrySchema.optional(),
});

/** `runDag`'s one argument: what the control plane starts (and a parent run starts as a child). */
export const RunDagInputSchema = z.object({
  signed: SignedRunRequestSchema,
  dag: WorkflowDefinitionSchema,
  input: z.unknown(),
  workflow: z.object({ name: z.string(), version: z.int() }),
  /** Present after continue-as-new: what the previous execution of this run had done. */
  carried: CarriedStateSchema.optional(),
  /**
   * A retry: those nodes are marked succeeded (`reused`) without running; the signed request
   * carries this map's hash.
   */
  reuse: ReuseMapSchema.optional(),
  /**
   * The published versions this run, and the runs it starts, may start as child runs: the targets of
   * core.executeWorkflow nodes and the error workflow, resolved (and hashed into the signed request)
   * when the top-level run started.
   */
  linked: LinkedWorkflowsSchema.optional(),
  /** A run started by another run: `signed` is then the top-level run's request. */
  startedBy: StartedBySchema.optional(),
});

export type ReuseMap = z.infer<typeof ReuseMapSchema>;
export type CarriedState = z.infer<typeof CarriedStateSchema>;
export type RunDagInput = z.infer<typeof RunDagInputSchema>;

/**
 * A run input too big for Temporal history (a big webhook body), in the artefact store: runDag's
 * `input` is then this reference. The signed request hashes the reference, and the reference names
 * the stored bytes' sha256, so the worker that loads it knows they are what the control plane signed.
 */
export const StoredRunInputSchema = z.strictObject({
  $storedInput: z.string(),
  bytes: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StoredRunInput = z.infer<typeof StoredRunInputSchema>;

export function isStoredRunInput(value: unknown): value is StoredRunInput {
  return typeof value === 'object' && value !== null && typeof (value as StoredRunInput).$storedInput === 'string';
}
