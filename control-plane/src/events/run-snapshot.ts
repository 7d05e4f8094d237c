import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { RunStatus } from '@flowforge/connectors-sdk/contract';
import { WorkflowNotFoundError } from '@temporalio/client';
import { readRunState } from '../runs/run-state-source.ts';
import { type RunViewDeps, runStatusOf } from '../runs/run-view.ts';
import { findRun } from '../runs/unseen-runs.ts';
import type { RunSnapshot } from './run-progress.ts';

/**
 * A run's current state for a subscriber that joins: the same sources as its run view (the Run
 * row, Temporal's describe, the run's `runState` query or its history), with the nodes' times,
 * which the view leaves out. FF_NOT_FOUND for a run of another project or none.
 */
export async function readRunSnapshot(deps: RunViewDeps, runId: string): Promise<RunSnapshot> {
  const run = await findRun(deps, runId);
  if (!run || run.version.workflow.projectId !== deps.projectId) {
    throw new FlowForgeError('FF_NOT_FOUND', `no run with id "${runId}"`, {
      path: ['runId'],
      hint: 'flowforge runs list shows recent runs',
    });
  }
  const base = {
    runId,
    workflow: { name: run.version.workflow.name, version: run.version.version },
    startedAt: run.startedAt.toISOString(),
  };
  const handle = deps.temporal.workflow.getHandle(runId);
  try {
    const description = await handle.describe();
    const described = runStatusOf(description.status.name);
    const { state } = await readRunState(deps.temporal, handle, description, described);
    // The run sends its end event from its last workflow task, a moment before Temporal records the
    // end: a run that says it ended has (the seam would otherwise miss that event).
    const status = described === 'RUNNING' && state && state.status !== 'RUNNING' ? state.status : described;
    return {
      ...base,
      status,
      finishedAt: description.closeTime?.toISOString() ?? (status !== 'RUNNING' ? lastTime(state?.nodes) : undefined),
      nodes: state?.nodes ?? {},
    };
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // Temporal removed its history: the status last recorded is all there is.
    return { ...base, status: run.status as RunStatus, finishedAt: run.finishedAt?.toISOString(), nodes: {} };
  }
}

function lastTime(nodes: RunSnapshot['nodes'] | undefined): string | undefined {
  const times = Object.values(nodes ?? {}).flatMap((node) => (node.finishedAt ? [node.finishedAt] : []));
  return times.sort().at(-1);
}
