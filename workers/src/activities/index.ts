import type { FlowForgeActivities } from './contract.ts';
import { createExecuteNode, type ExecuteNodeOptions } from './execute-node.ts';
import { createLoopActivities } from './loop-activities.ts';
import { createOfferedNodeTypes, type OfferedNodeTypesOptions } from './offered-node-types.ts';
import { createVerifyRunRequest, type VerifyRunRequestOptions } from './verify-run-request.ts';

export type ActivitiesOptions = ExecuteNodeOptions & VerifyRunRequestOptions & OfferedNodeTypesOptions;

/** The worker's activities, bound to its registry, key and artefact store. */
export function createActivities(options: ActivitiesOptions): FlowForgeActivities {
  return {
    executeNode: createExecuteNode(options),
    verifyRunRequest: createVerifyRunRequest(options),
    ...createLoopActivities(options),
    offeredNodeTypes: createOfferedNodeTypes(options),
  };
}

export * from './contract.ts';
export * from './loop-contract.ts';
