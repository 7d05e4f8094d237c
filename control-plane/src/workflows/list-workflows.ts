import type { PrismaClient } from '../database.ts';

export interface WorkflowVersionSummary {
  version: number;
  hash: string;
  createdAt: Date;
  definition: unknown;
}

export interface WorkflowSummary {
  name: string;
  latestVersion: number;
  /** The version its triggers start; null when they are off. */
  activeVersion: number | null;
  activatedAt: Date | null;
  /** Newest first. */
  versions: WorkflowVersionSummary[];
}

/** Workflows of a project by name, each with its versions (newest first). */
export async function listWorkflows(
  prisma: PrismaClient,
  projectId: string,
  filter: { name?: string } = {},
): Promise<WorkflowSummary[]> {
  const workflows = await prisma.workflow.findMany({
    where: { projectId, ...(filter.name ? { name: filter.name } : {}) },
    orderBy: { name: 'asc' },
    include: { versions: { orderBy: { version: 'desc' } }, activeVersion: { select: { version: true } } },
  });
  return workflows
    .filter((workflow) => workflow.versions.length > 0)
    .map((workflow) => ({
      name: workflow.name,
      latestVersion: workflow.versions[0]?.version ?? 0,
      activeVersion: workflow.activeVersion?.version ?? null,
      activatedAt: workflow.activatedAt,
      versions: workflow.versions.map((v) => ({
        version: v.version,
        hash: v.hash,
        createdAt: v.createdAt,
        definition: v.definition,
      })),
    }));
}
