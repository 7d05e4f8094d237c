import type { SerializedError } from '@flowforge/connectors-sdk';

/** What the control plane returns for a run (GraphQL RunView). */
export interface RunView {
  runId: string;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
  workflow: { name: string; version: number };
  nodes: Record<
    string,
    {
      status: string;
      output: Record<string, unknown>;
      attempts: number;
      error?: SerializedError;
      reused?: boolean;
      waiting?: NodeWait;
      /** core.executeWorkflow: the child run it started. */
      childRun?: string;
      /** core.loop: the batch its body is on (from 1), of how many, and the items done so far. */
      loop?: { iteration: number; batches: number; processed: number; total: number };
      /** A node in a loop's body: the iteration its state is from. */
      iteration?: number;
    }
  >;
  error?: SerializedError | null;
  note?: string | null;
  /** RUNNING but paused (flowforge runs pause). */
  paused?: boolean;
  /** The error workflow's run this failed run started (settings.errorWorkflow). */
  errorRun?: string | null;
}

/**
 * What a `waiting` node waits for: a timer, a person's decision (core.approval), a POST to `url`
 * (core.wait) or its child run `runId` (core.executeWorkflow).
 */
export interface NodeWait {
  for: 'timer' | 'approval' | 'webhook' | 'subworkflow';
  /** subworkflow: the child run. */
  runId?: string;
  /** webhook: the signed single-use resume URL. */
  url?: string;
  since?: string;
  until?: string;
  message?: string;
  roles?: string[];
  users?: string[];
}

export const RUN_VIEW_FIELDS = 'runId status workflow { name version } nodes error note paused errorRun';

/** The `--json` shape of a run (a contract): exactly runId, status, workflow and nodes. */
export function runJson(run: RunView) {
  return { runId: run.runId, status: run.status, workflow: run.workflow, nodes: run.nodes };
}
