import type { AnyNodeDescriptor, DescriptorRegistry } from '@flowforge/connectors-sdk';
import { describeNodeType, type NodeTypeInfo } from '@flowforge/connectors-sdk/contract';
import { type NodeTypeDeps, offerWith } from './queue-registry.ts';

/** A catalogue entry: a type's info and where it comes from. */
export interface CatalogueEntry extends NodeTypeInfo {
  /** `builtin`: the control plane defines it (and validates with its own definition); `worker`: only the queue's workers do. */
  source: 'builtin' | 'worker';
}

/**
 * The node types workflows on a task queue may use: the control plane's own, in palette order, then
 * the ones only the queue's workers offer, by type. GraphQL `nodeTypes`, the builder's palette and
 * `flowforge nodes list` read this.
 */
export async function listNodeTypes(deps: NodeTypeDeps, taskQueue = deps.taskQueue): Promise<CatalogueEntry[]> {
  const offer = (await deps.nodeTypes.of(taskQueue)).offer;
  const offered = [...offer.types.values()]
    .filter((info) => !deps.registry.has(info.type))
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((info): CatalogueEntry => ({ ...info, source: 'worker' }));
  return [...builtinEntries(deps.registry), ...offered];
}

/** One type, or null when neither the control plane nor the queue's workers know it. */
export async function findNodeType(
  deps: NodeTypeDeps,
  type: string,
  taskQueue = deps.taskQueue,
): Promise<CatalogueEntry | null> {
  const own = deps.registry.get(type);
  if (own) return { ...describeOnce(own), source: 'builtin' };
  const info = (await offerWith(deps, [type], taskQueue)).types.get(type);
  return info ? { ...info, source: 'worker' } : null;
}

// Descriptors are frozen and live as long as the app: their JSON Schema is computed once.
const described = new WeakMap<AnyNodeDescriptor, NodeTypeInfo>();

function describeOnce(descriptor: AnyNodeDescriptor): NodeTypeInfo {
  let info = described.get(descriptor);
  if (!info) {
    info = describeNodeType(descriptor);
    described.set(descriptor, info);
  }
  return info;
}

function builtinEntries(registry: DescriptorRegistry): CatalogueEntry[] {
  return [...registry.values()].map((descriptor) => ({ ...describeOnce(descriptor), source: 'builtin' }));
}
