import type { NodeRegistry } from '@flowforge/connectors-sdk';
import { describeNodeType, type NodeTypesAnswer } from '@flowforge/connectors-sdk/contract';

export interface OfferedNodeTypesOptions {
  registry: NodeRegistry;
  /** The worker's Temporal identity: the control plane counts answers by it. */
  identity: string;
  taskQueue: string;
}

/**
 * The `offeredNodeTypes` local activity: every node type of this worker's registry as catalogue data.
 * Computed once (JSON Schema conversion is not free and the registry never changes while it runs).
 */
export function createOfferedNodeTypes(options: OfferedNodeTypesOptions) {
  let answer: NodeTypesAnswer | undefined;
  return async function offeredNodeTypes(): Promise<NodeTypesAnswer> {
    answer ??= {
      worker: options.identity,
      taskQueue: options.taskQueue,
      types: [...options.registry.values()].map(describeNodeType),
    };
    return answer;
  };
}
