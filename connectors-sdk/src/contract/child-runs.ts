import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { WorkflowDefinitionSchema } from '../workflow-definition.ts';
import { ContentHashSchema } from './run-request.ts';

/**
 * Child runs (core.executeWorkflow) and error workflows (settings.errorWorkflow): what a run may
 * start, how it names it, and what a started run knows about its parent (pure: the workflow
 * imports it).
 */

/** Child runs of child runs stop here: a workflow that calls itself fails instead of running forever. */
export const MAX_RUN_DEPTH = 8;

/** A published version a run may start, resolved and signed when the top-level run started. */
export const LinkedWorkflowSchema = z.object({
  name: z.string(),
  version: z.int(),
  dagHash: ContentHashSchema,
  dag: WorkflowDefinitionSchema,
});

/** Keyed by `linkedKey()`. */
export const LinkedWorkflowsSchema = z.record(z.string(), LinkedWorkflowSchema);

/** How a node or setting names a linked version: `name@3`, or `name@latest` (latest when the run started). */
export function linkedKey(name: string, version?: number): string {
  return `${name}@${version ?? 'latest'}`;
}

export const StartedBySchema = z.object({
  kind: z.enum(['subworkflow', 'error']),
  /** The run (Temporal workflow id) that started this one: Temporal's parent of this workflow. */
  runId: z.string(),
  /** core.executeWorkflow: the node that started it. */
  nodeId: z.string().optional(),
  /** Which linked version this run is. */
  key: z.string(),
  /** 1 for a child of a top-level run. */
  depth: z.int().min(1),
});

const RunWorkflowSchema = z.object({ name: z.string(), version: z.int() });

/** core.executeWorkflow with wait: the node waits for its child run to end (`NodeState.waitingFor`). */
export const SubworkflowWaitSchema = z.object({
  kind: z.literal('subworkflow'),
  runId: z.string(),
  workflow: RunWorkflowSchema,
  since: z.string(),
});

/** What the error workflow's trigger.error outputs: the failed run, node, error and input. */
export const ErrorRunInputSchema = z.object({
  run: z.object({ id: z.string(), workflow: RunWorkflowSchema }),
  node: z.object({ id: z.string(), type: z.string() }).nullable(),
  error: SerializedErrorSchema,
  input: z.object({ runId: z.string(), hash: z.string(), value: z.unknown().optional() }),
  failedAt: z.string(),
});

export type LinkedWorkflow = z.infer<typeof LinkedWorkflowSchema>;
export type LinkedWorkflows = z.infer<typeof LinkedWorkflowsSchema>;
export type StartedBy = z.infer<typeof StartedBySchema>;
export type SubworkflowWait = z.infer<typeof SubworkflowWaitSchema>;
export type ErrorRunInput = z.infer<typeof ErrorRunInputSchema>;
