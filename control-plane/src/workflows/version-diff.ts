import { diffWorkflows, FlowForgeError, type WorkflowDefinition, type WorkflowDiff } from '@flowforge/connectors-sdk';
import type { PrismaClient } from '../database.ts';

/**
 * What changed from version `from` to version `to` of a project's workflow (either order; archived
 * workflows too). An unknown workflow or version is FF_NOT_FOUND naming the versions there are.
 */
export async function diffVersions(
  prisma: PrismaClient,
  projectId: string,
  name: string,
  from: number,
  to: number,
): Promise<WorkflowDiff> {
  const workflow = await prisma.workflow.findUnique({
    where: { projectId_name: { projectId, name } },
    include: {
      versions: { where: { version: { in: [from, to] } }, select: { version: true, definition: true } },
      _count: { select: { versions: true } },
    },
  });
  if (!workflow || workflow._count.versions === 0) {
    throw new FlowForgeError('FF_NOT_FOUND', `no workflow named "${name}"`, {
      path: ['workflow'],
      hint: 'flowforge workflow list --all shows what exists',
    });
  }
  const definitionOf = (version: number, path: string): WorkflowDefinition => {
    const found = workflow.versions.find((stored) => stored.version === version);
    if (found) return found.definition as unknown as WorkflowDefinition;
    throw new FlowForgeError('FF_NOT_FOUND', `workflow "${name}" has no version ${version}`, {
      path: [path],
      hint: `its versions are 1 to ${workflow._count.versions} (flowforge workflow versions ${name})`,
    });
  };
  return diffWorkflows(definitionOf(from, 'from'), definitionOf(to, 'to'));
}
