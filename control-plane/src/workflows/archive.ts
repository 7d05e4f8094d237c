import { FlowForgeError } from '@flowforge/connectors-sdk';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';
import { type ActivationDeps, turnTriggersOff } from './activation.ts';

/** What `archiveWorkflow` and `unarchiveWorkflow` answer (GraphQL ArchiveResult, `workflow archive --json`). */
export interface ArchiveResult {
  workflow: string;
  archived: boolean;
  archivedAt: Date | null;
  /** The version that was active until the archive turned its triggers off; null when none was. */
  previousVersion: number | null;
}

/**
 * Archives a workflow: its webhooks stop answering (404) and its schedules are deleted, in the
 * transaction that marks it archived; pushes, activations and manual runs are refused with
 * FF_ARCHIVED until it is unarchived. Its versions and runs stay readable; runs in flight go on.
 * Archiving an archived workflow changes nothing. Audited as `workflow.archive`.
 */
export async function archiveWorkflow(deps: ActivationDeps, name: string, actor: string): Promise<ArchiveResult> {
  const workflow = await findWorkflow(deps.prisma, deps.projectId, name);
  if (workflow.archivedAt) {
    return { workflow: name, archived: true, archivedAt: workflow.archivedAt, previousVersion: null };
  }
  const archivedAt = new Date();
  const previousVersion = await turnTriggersOff(deps, workflow, async (tx) => {
    await tx.workflow.update({ where: { id: workflow.id }, data: { archivedAt } });
    await recordAudit(tx, {
      actor,
      action: 'workflow.archive',
      target: `workflow:${name}`,
      data: { previousVersion: workflow.activeVersion?.version ?? null },
      before: { activeVersion: workflow.activeVersion?.version ?? null, archived: false },
      after: { activeVersion: null, archived: true },
    });
  });
  return { workflow: name, archived: true, archivedAt, previousVersion };
}

/** Lets the workflow be pushed, activated and run again; it stays inactive until activated. Audited as `workflow.unarchive`. */
export async function unarchiveWorkflow(
  deps: Pick<ActivationDeps, 'prisma' | 'projectId'>,
  name: string,
  actor: string,
): Promise<ArchiveResult> {
  const workflow = await findWorkflow(deps.prisma, deps.projectId, name);
  if (workflow.archivedAt) {
    await deps.prisma.$transaction(async (tx) => {
      await tx.workflow.update({ where: { id: workflow.id }, data: { archivedAt: null } });
      await recordAudit(tx, { actor, action: 'workflow.unarchive', target: `workflow:${name}` });
    });
  }
  return { workflow: name, archived: false, archivedAt: null, previousVersion: null };
}

async function findWorkflow(prisma: PrismaClient, projectId: string, name: string) {
  const workflow = await prisma.workflow.findUnique({
    where: { projectId_name: { projectId, name } },
    include: { activeVersion: { select: { version: true, definition: true } } },
  });
  if (!workflow) {
    throw new FlowForgeError('FF_NOT_FOUND', `no workflow named "${name}"`, {
      path: ['workflow'],
      hint: 'flowforge workflow list --all shows what exists',
    });
  }
  return workflow;
}
