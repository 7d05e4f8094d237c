import { z } from 'zod';

/**
 * What a `core.executeWorkflow` node asks the run to start (pure: the workflow imports it).
 * `runDag` starts the linked version as a child run; with `wait` the child's result becomes the
 * node's output, otherwise the node passes on the child's run id at once.
 */
export const SubworkflowRequestSchema = z.object({
  workflow: z.string(),
  /** A published version; absent: the latest when the top-level run started. */
  version: z.int().optional(),
  /** The child run's input (its trigger's output). */
  input: z.unknown(),
  wait: z.boolean(),
});
export type SubworkflowRequest = z.infer<typeof SubworkflowRequestSchema>;
