import type { PrismaClient } from '../database.ts';
import type { WorkflowVersion } from '../generated/prisma/client.ts';

export interface VersionLookup {
  /** The wanted version (the latest when none was asked for); undefined when there is no such version. */
  found: WorkflowVersion | undefined;
  /** Every version number the workflow has, oldest first; empty when there is no such workflow. */
  versions: number[];
  /** The version number that was looked for. */
  wanted: number | undefined;
  /** When the workflow was archived (a manual start refuses it); null when it is not. */
  archivedAt: Date | null;
}

/**
 * A stored version of a project's workflow by name, the latest when `version` is left out. Callers
 * (a manual start, the versions a run links) say themselves what is missing and how to fix it.
 */
export async function lookupVersion(
  prisma: PrismaClient,
  projectId: string,
  name: string,
  version: number | undefined,
): Promise<VersionLookup> {
  const workflow = await prisma.workflow.findUnique({
    where: { projectId_name: { projectId, name } },
    include: { versions: { orderBy: { version: 'asc' }, select: { version: true } } },
  });
  const versions = workflow?.versions.map((stored) => stored.version) ?? [];
  const wanted = version ?? versions.at(-1);
  const archivedAt = workflow?.archivedAt ?? null;
  if (!workflow || wanted === undefined) return { found: undefined, versions, wanted, archivedAt };
  const found = await prisma.workflowVersion.findUnique({
    where: { workflowId_version: { workflowId: workflow.id, version: wanted } },
  });
  return { found: found ?? undefined, versions, wanted, archivedAt };
}
