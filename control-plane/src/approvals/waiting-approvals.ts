import { FlowForgeError } from '@flowforge/connectors-sdk';
import { type ApprovalWait, RUN_STATE_QUERY, type RunState, RunStateSchema } from '@flowforge/connectors-sdk/contract';
import type { Client } from '@temporalio/client';

/**
 * How long a `runState` query may take before the control plane says no worker answered. For one
 * run a person acts on, longer than a worker's sticky-queue schedule-to-start timeout (10 s, the
 * SDK's default): right after a worker dies, Temporal hands its runs' tasks to another worker only
 * after that, and a decision should then be slow rather than refused. Listings keep it short.
 */
export const LIST_QUERY_DEADLINE_MS = 5_000;
export const DECISION_QUERY_DEADLINE_MS = 15_000;

/** The approvals a run is waiting for, by node id, read from the run itself (the system of record). */
export async function waitingApprovals(
  temporal: Client,
  runId: string,
  deadlineMs = DECISION_QUERY_DEADLINE_MS,
): Promise<Map<string, ApprovalWait>> {
  let state: RunState;
  try {
    const answer = await temporal.withDeadline(Date.now() + deadlineMs, () =>
      temporal.workflow.getHandle(runId).query(RUN_STATE_QUERY),
    );
    state = RunStateSchema.parse(answer);
  } catch (cause) {
    throw new FlowForgeError(
      'FF_UNAVAILABLE',
      `run "${runId}" did not answer (${(cause as Error).message.split('\n')[0]})`,
      { cause, hint: "is a worker running on the run's task queue? (npm start runs one)" },
    );
  }
  const waits = new Map<string, ApprovalWait>();
  if (state.status !== 'RUNNING') return waits;
  for (const [id, node] of Object.entries(state.nodes)) {
    if (node.status === 'waiting' && node.waitingFor?.kind === 'approval') waits.set(id, node.waitingFor);
  }
  return waits;
}
