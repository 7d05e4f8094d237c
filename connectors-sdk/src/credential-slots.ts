import type { AnyNodeDescriptor, CredentialSlot, DescriptorRegistry } from './define-node.ts';
import type { Issue, IssuePath } from './errors.ts';
import type { WorkflowDefinition, WorkflowNode } from './workflow-definition.ts';

/**
 * A node names credentials by slot: `"credentials": { "<slot>": "<credential name>" }`. Validation
 * checks the slots against the node type; the control plane checks, when a run starts, that every
 * named credential exists with the slot's type; the resolution route answers only for a slot that
 * the running node of the signed DAG names.
 */

/** Issues with a node's `credentials`: slots its type does not have, and slots its params require but it leaves empty. */
export function credentialSlotIssues(node: WorkflowNode, type: AnyNodeDescriptor, prefix: IssuePath): Issue[] {
  const issues: Issue[] = [];
  const slots = type.credentials ?? [];
  const named = node.credentials ?? {};
  for (const slot of Object.keys(named)) {
    if (!slots.some((s) => s.name === slot)) {
      const known = slots.length > 0 ? `its slots: ${slots.map((s) => `"${s.name}"`).join(', ')}` : 'it takes none';
      issues.push({
        code: 'FF_VALIDATION',
        message: `node "${node.id}" (${node.type}) has no credential slot "${slot}" (${known})`,
        path: [...prefix, 'credentials', slot],
      });
    }
  }
  for (const slot of slots) {
    if (slotRequired(slot, node.params) && !Object.hasOwn(named, slot.name)) {
      issues.push({
        code: 'FF_VALIDATION',
        message:
          `node "${node.id}" needs a credential of type ${slot.type} in slot "${slot.name}": add ` +
          `"credentials": { "${slot.name}": "<name>" } (flowforge credentials list shows the names)`,
        path: [...prefix, 'credentials'],
      });
    }
  }
  return issues;
}

function slotRequired(slot: CredentialSlot, params: Record<string, unknown>): boolean {
  return typeof slot.required === 'function' ? slot.required(params) : slot.required === true;
}

/** One credential a node names. */
export interface CredentialReference {
  nodeId: string;
  nodeIndex: number;
  slot: string;
  /** The credential's name. */
  name: string;
  /** The slot's credential type. */
  type: string;
}

/** Every credential the nodes of a definition name, in slots their types declare (others were refused by validation). */
export function credentialReferences(dag: WorkflowDefinition, registry: DescriptorRegistry): CredentialReference[] {
  return dag.nodes.flatMap((node, nodeIndex) => {
    const slots = registry.get(node.type)?.credentials ?? [];
    return Object.entries(node.credentials ?? {}).flatMap(([slot, name]) => {
      const declared = slots.find((s) => s.name === slot);
      return declared ? [{ nodeId: node.id, nodeIndex, slot, name, type: declared.type }] : [];
    });
  });
}
