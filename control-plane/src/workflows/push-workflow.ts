import { type DescriptorRegistry, FlowForgeError, validateWorkflow } from '@flowforge/connectors-sdk';
import { contentHash } from '@flowforge/connectors-sdk/run-request';
import { recordAudit } from '../audit.ts';
import { isUniqueViolation, type PrismaClient } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface PushResult {
  workflow: string;
  version: number;
  hash: string;
  /** False when the same content was pushed before: no new version. */
  created: boolean;
}

export interface PushWorkflowDeps {
  prisma: PrismaClient;
  registry: DescriptorRegistry;
  projectId: string;
}

/**
 * Stores a workflow definition as a new immutable version, unless a version with the same content
 * hash exists. The hash is over the PARSED definition (defaults filled in), so spelling out a
 * default does not make a new version. Invalid definitions are rejected with every issue.
 */
export async function pushWorkflow(deps: PushWorkflowDeps, input: unknown, actor: string): Promise<PushResult> {
  const definition = validateDefinition(input, deps.registry);
  const hash = contentHash(definition);
  // Two pushes of the same workflow can race for the next version number; the loser retries once.
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeVersion(deps, definition, hash, actor);
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}

export function validateDefinition(input: unknown, registry: DescriptorRegistry) {
  const result = validateWorkflow(input, registry);
  if (result.ok) return result.definition;
  const count = result.issues.length;
  // Broken expressions alone are refused as what they are: FF_EXPRESSION, like the run they would fail.
  const code = result.issues.every((issue) => issue.code === 'FF_EXPRESSION') ? 'FF_EXPRESSION' : 'FF_VALIDATION';
  throw new FlowForgeError(code, `the workflow definition has ${count} problem${count === 1 ? '' : 's'}`, {
    issues: result.issues,
    hint: 'fix every issue listed (each has a path into the file), then push again',
  });
}

async function storeVersion(
  deps: PushWorkflowDeps,
  definition: ReturnType<typeof validateDefinition>,
  hash: string,
  actor: string,
): Promise<PushResult> {
  return deps.prisma.$transaction(async (tx) => {
    const workflow = await tx.workflow.upsert({
      where: { projectId_name: { projectId: deps.projectId, name: definition.name } },
      create: { projectId: deps.projectId, name: definition.name },
      update: {},
    });
    const same = await tx.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId: workflow.id, hash } } });
    if (same) return { workflow: definition.name, version: same.version, hash, created: false };
    const latest = await tx.workflowVersion.findFirst({
      where: { workflowId: workflow.id },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    const version = (latest?.version ?? 0) + 1;
    await tx.workflowVersion.create({
      data: { workflowId: workflow.id, version, hash, definition: definition as Prisma.InputJsonValue },
    });
    await recordAudit(tx, {
      actor,
      action: 'workflow.push',
      target: `workflow:${definition.name}@${version}`,
      data: { hash },
    });
    return { workflow: definition.name, version, hash, created: true };
  });
}
