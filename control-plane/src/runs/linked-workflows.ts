import { type DescriptorRegistry, FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import { type LinkedWorkflows, linkedKey } from '@flowforge/connectors-sdk/contract';
import type { PrismaClient } from '../database.ts';
import { lookupVersion } from './workflow-versions.ts';

/** More distinct versions than this in one run's tree is a mistake, not a design. */
const MAX_LINKED = 50;

interface Reference {
  name: string;
  version?: number | undefined;
  /** Where the reference is written, for the error message. */
  where: string;
  path: (string | number)[];
}

/**
 * Resolves every published version a run may start as a child run: the targets of its
 * core.executeWorkflow nodes, theirs in turn, and its settings.errorWorkflow (only the top-level
 * run's: error workflows are not chained). "No version" means the latest now. The result is
 * hashed into the signed run request, so a worker runs a child only if this map named it.
 * Undefined when the workflow starts no other.
 */
export async function resolveLinkedWorkflows(
  deps: { prisma: PrismaClient; projectId: string; registry: DescriptorRegistry },
  dag: WorkflowDefinition,
): Promise<LinkedWorkflows | undefined> {
  const { prisma, projectId } = deps;
  const references = (definition: WorkflowDefinition, owner: string) =>
    childReferences(deps.registry, definition, owner);
  const linked: LinkedWorkflows = {};
  const queue: Reference[] = [...references(dag, dag.name)];
  if (dag.settings?.errorWorkflow !== undefined) {
    queue.push({
      name: dag.settings.errorWorkflow,
      where: `workflow "${dag.name}" settings.errorWorkflow`,
      path: ['settings', 'errorWorkflow'],
    });
  }
  for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
    const key = linkedKey(ref.name, ref.version);
    if (linked[key]) continue;
    if (Object.keys(linked).length >= MAX_LINKED) {
      throw new FlowForgeError('FF_VALIDATION', `this run would link more than ${MAX_LINKED} workflow versions`, {
        hint: 'core.executeWorkflow and settings.errorWorkflow name too many workflows; split the work differently',
      });
    }
    const version = await findLinkedVersion(prisma, projectId, ref);
    const childDag = version.definition as unknown as WorkflowDefinition;
    linked[key] = { name: ref.name, version: version.version, dagHash: version.hash, dag: childDag };
    queue.push(...references(childDag, ref.name));
  }
  return Object.keys(linked).length === 0 ? undefined : linked;
}

/**
 * The workflows a definition's nodes may start, from each node type's `linkedWorkflows`
 * capability (core.executeWorkflow). Validation made those params literal values, so this reads
 * what the run will start. A node whose type the control plane does not know links nothing.
 */
function childReferences(registry: DescriptorRegistry, dag: WorkflowDefinition, owner: string): Reference[] {
  return dag.nodes.flatMap((node, index) => {
    const links = registry.get(node.type)?.capabilities?.linkedWorkflows;
    if (!links) return [];
    const where = `node "${node.id}" of workflow "${owner}"`;
    const path = ['nodes', index, 'params'];
    return links(node.params).map((ref) => ({ name: ref.workflow, version: ref.version, where, path }));
  });
}

async function findLinkedVersion(prisma: PrismaClient, projectId: string, ref: Reference) {
  const { found, versions, wanted } = await lookupVersion(prisma, projectId, ref.name, ref.version);
  if (versions.length === 0) {
    throw new FlowForgeError('FF_NOT_FOUND', `${ref.where} names workflow "${ref.name}", which does not exist`, {
      path: ref.path,
      hint: `push it first (flowforge workflow push <file.json>), or change ${ref.where}`,
    });
  }
  if (!found) {
    throw new FlowForgeError(
      'FF_NOT_FOUND',
      `${ref.where} names version ${wanted} of "${ref.name}", which does not exist`,
      {
        path: ref.path,
        hint: `the latest version of "${ref.name}" is ${versions.at(-1)}; leave the version out to use the latest`,
      },
    );
  }
  return found;
}
