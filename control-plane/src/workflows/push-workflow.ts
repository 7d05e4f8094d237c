import type { WorkflowDefinition } from '@flowforge/connectors-sdk';
import { contentHash } from '@flowforge/connectors-sdk/run-request';
import { recordAudit } from '../audit.ts';
import { isUniqueViolation, type PrismaClient } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { invalidDefinition, type NodeTypeDeps, validateOnQueue } from '../node-types/queue-registry.ts';
import { refuseIfArchived } from './archived-guard.ts';

export interface PushResult {
  workflow: string;
  version: number;
  hash: string;
  /** False when the same content was pushed before: no new version. */
  created: boolean;
}

export interface PushOptions {
  /** Stored with a new version (`push --message`); a push that changes nothing stores nothing. */
  message?: string | null;
}

export interface PushWorkflowDeps extends NodeTypeDeps {
  prisma: PrismaClient;
  projectId: string;
}

/**
 * Stores a workflow definition as a new immutable version, unless a version with the same content
 * hash exists. The hash is over the PARSED definition (defaults filled in), so spelling out a
 * default does not make a new version. Invalid definitions are rejected with every issue; node types
 * are those the control plane defines and those the workers of its task queue offer.
 */
export async function pushWorkflow(
  deps: PushWorkflowDeps,
  input: unknown,
  actor: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const definition = await validateDefinition(deps, input);
  const hash = contentHash(definition);
  // Two pushes of the same workflow can race for the next version number; the loser retries once.
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeVersion(deps, definition, hash, actor, options.message ?? null);
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

export async function validateDefinition(deps: NodeTypeDeps, input: unknown): Promise<WorkflowDefinition> {
  const result = await validateOnQueue(deps, input);
  if (result.ok) return result.definition;
  throw invalidDefinition(result.issues, deps.taskQueue);
}

async function storeVersion(
  deps: PushWorkflowDeps,
  definition: WorkflowDefinition,
  hash: string,
  actor: string,
  message: string | null,
): Promise<PushResult> {
  return deps.prisma.$transaction(async (tx) => {
    const workflow = await tx.workflow.upsert({
      where: { projectId_name: { projectId: deps.projectId, name: definition.name } },
      create: { projectId: deps.projectId, name: definition.name },
      update: {},
    });
    refuseIfArchived(workflow, 'push to');
    const same = await tx.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId: workflow.id, hash } } });
    if (same) return { workflow: definition.name, version: same.version, hash, created: false };
    const latest = await tx.workflowVersion.findFirst({
      where: { workflowId: workflow.id },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    const version = (latest?.version ?? 0) + 1;
    await tx.workflowVersion.create({
      data: {
        workflowId: workflow.id,
        version,
        hash,
        definition: definition as Prisma.InputJsonValue,
        message,
        actor,
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'workflow.push',
      target: `workflow:${definition.name}@${version}`,
      data: { hash, ...(message === null ? {} : { message }) },
      // The stored definition: afterHash is the version's hash.
      after: definition,
    });
    return { workflow: definition.name, version, hash, created: true };
  });
}
