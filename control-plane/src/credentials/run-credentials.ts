import {
  credentialReferences,
  type DescriptorRegistry,
  FlowForgeError,
  type WorkflowDefinition,
} from '@flowforge/connectors-sdk';
import type { LinkedWorkflows } from '@flowforge/connectors-sdk/contract';
import type { PrismaClient } from '../database.ts';

/**
 * Refuses a run before it starts when one of its nodes (or a node of a workflow it may start as a
 * child run) names a credential that does not exist (FF_NOT_FOUND) or is of another type than its
 * slot takes (FF_VALIDATION), naming the credential, the node and the workflow. A credential deleted
 * after the start fails that node when it runs (the resolution route answers 404).
 */
export async function checkRunCredentials(
  deps: { prisma: PrismaClient; projectId: string; registry: DescriptorRegistry },
  dag: WorkflowDefinition,
  linked: LinkedWorkflows | undefined,
): Promise<void> {
  const definitions = [dag, ...Object.values(linked ?? {}).map((entry) => entry.dag)];
  const references = definitions.flatMap((definition) =>
    credentialReferences(definition, deps.registry).map((ref) => ({ ...ref, workflow: definition.name })),
  );
  if (references.length === 0) return;
  const rows = await deps.prisma.credential.findMany({
    where: { projectId: deps.projectId, name: { in: [...new Set(references.map((ref) => ref.name))] } },
    select: { name: true, type: true },
  });
  const typeOf = new Map(rows.map((row) => [row.name, row.type]));
  for (const ref of references) {
    const where = `node "${ref.nodeId}" of workflow "${ref.workflow}"`;
    const path = ['nodes', ref.nodeIndex, 'credentials', ref.slot];
    const type = typeOf.get(ref.name);
    if (type === undefined) {
      throw new FlowForgeError(
        'FF_NOT_FOUND',
        `${where} names credential "${ref.name}" (slot ${ref.slot}), which does not exist`,
        {
          path,
          hint: `create it: flowforge credentials set ${ref.name} --type ${ref.type} < value.json (flowforge credentials list shows what exists)`,
        },
      );
    }
    if (type !== ref.type) {
      throw new FlowForgeError(
        'FF_VALIDATION',
        `${where} names credential "${ref.name}" in slot ${ref.slot}, which takes ${ref.type}, but "${ref.name}" is ${type}`,
        { path, hint: `name a ${ref.type} credential there, or set "${ref.name}" again with --type ${ref.type}` },
      );
    }
  }
}
