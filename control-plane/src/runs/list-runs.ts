import type { PrismaClient } from '../database.ts';
import { getRunView, type RunView, type RunViewDeps } from './run-view.ts';

export const DEFAULT_RUN_LIMIT = 20;
const MAX_RUN_LIMIT = 100;

/** Recent runs, newest first, each read from Temporal like a single run. */
export async function listRuns(
  deps: RunViewDeps & { prisma: PrismaClient },
  filter: { workflow?: string | null; limit?: number | null },
): Promise<RunView[]> {
  const take = Math.min(Math.max(filter.limit ?? DEFAULT_RUN_LIMIT, 1), MAX_RUN_LIMIT);
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
