import type { PrismaClient } from '../database.ts';

export interface WorkflowVersionSummary {
  version: number;
  hash: string;
  /** What the pusher said (`push --message`); null when nothing was said. */
  message: string | null;
  /** Who pushed it (`api-key:<name>`); null for versions older than the record of it. */
  actor: string | null;
  createdAt: Date;
  /** Whether this is the version the workflow's triggers start. */
  active: boolean;
  definition: unknown;
}

export interface WorkflowSummary {
  name: string;
  latestVersion: number;
  /** The version its triggers start; null when they are off. */
  activeVersion: number | null;
  activatedAt: Date | null;
  /** Set while the workflow is archived. */
  archivedAt: Date | null;
  /** Newest first. */
  versions: WorkflowVersionSummary[];
}

export interface WorkflowFilter {
  name?: string;
  /** Archived workflows are left out unless this is set (a lookup by name finds them always). */
  includeArchived?: boolean;
}

/** Workflows of a project by name, each with its versions (newest first). */
export async function listWorkflows(
  prisma: PrismaClient,
  projectId: string,
  filter: WorkflowFilter = {},
): Promise<WorkflowSummary[]> {
  const workflows = await prisma.workflow.findMany({
    where: {
      projectId,
      ...(filter.name ? { name: filter.name } : filter.includeArchived ? {} : { archivedAt: null }),
    },
    orderBy: { name: 'asc' },
    include: { versions: { orderBy: { version: 'desc' } } },
  });
  return workflows
    .filter((workflow) => workflow.versions.length > 0)
    .map((workflow) => ({
      name: workflow.name,
      latestVersion: workflow.versions[0]?.version ?? 0,
      activeVersion: workflow.versions.find((v) => v.id === workflow.activeVersionId)?.version ?? null,
      activatedAt: workflow.activatedAt,
      archivedAt: workflow.archivedAt,
      versions: workflow.versions.map((v) => ({
        version: v.version,
        hash: v.hash,
        message: v.message,
        actor: v.actor,
        createdAt: v.createdAt,
        active: v.id === workflow.activeVersionId,
        definition: v.definition,
      })),
    }));
}
