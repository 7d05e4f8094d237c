import { WorkflowNameSchema } from '@flowforge/connectors-sdk';
import { RUN_DAG_WORKFLOW, SEARCH_ATTRIBUTES } from '@flowforge/connectors-sdk/contract';
import type { PrismaClient } from '../database.ts';
import { getRunView, type RunView, type RunViewDeps } from './run-view.ts';
import { recordUnseenRuns } from './unseen-runs.ts';

export const DEFAULT_RUN_LIMIT = 20;
export const MAX_RUN_LIMIT = 100;

/** Recent runs, newest first, each read from Temporal like a single run. */
export async function listRuns(
  deps: RunViewDeps & { prisma: PrismaClient },
  filter: { workflow?: string | null; limit?: number | null },
): Promise<RunView[]> {
  const take = Math.min(Math.max(filter.limit ?? DEFAULT_RUN_LIMIT, 1), MAX_RUN_LIMIT);
  await recordRecentChildRuns(deps, filter.workflow ?? undefined, take);
  const runs = await deps.prisma.run.findMany({
    where: {
      version: { workflow: { projectId: deps.projectId, ...(filter.workflow ? { name: filter.workflow } : {}) } },
    },
    orderBy: { startedAt: 'desc' },
    take,
    select: { id: true },
  });
  return Promise.all(runs.map((run) => getRunView(deps, run.id)));
}

/**
 * Child and error runs are started by their parent run, not through the control plane: the newest
 * `take` runs Temporal knows (of that workflow) are looked up first, and those without a Run row
 * are recorded (runs/child-run-records.ts). Best effort: with Temporal down the list shows the rows.
 */
async function recordRecentChildRuns(deps: RunViewDeps, workflow: string | undefined, take: number): Promise<void> {
  // A name that cannot be a workflow's has no runs; checking it also keeps the query well-formed.
  if (workflow !== undefined && !WorkflowNameSchema.safeParse(workflow).success) return;
  const query = `WorkflowType = '${RUN_DAG_WORKFLOW}'${workflow ? ` AND ${SEARCH_ATTRIBUTES.workflow} = '${workflow}'` : ''}`;
  const ids: string[] = [];
  try {
    for await (const execution of deps.temporal.workflow.list({ query, pageSize: take })) {
      ids.push(execution.workflowId);
      if (ids.length >= take) break;
    }
    await recordUnseenRuns(deps, ids);
  } catch {
    // Listed from the rows alone; each run view says what Temporal could not.
  }
}
