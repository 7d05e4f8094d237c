import type { NodeTypesAnswer } from '@flowforge/connectors-sdk/contract';
import { proxyLocalActivities } from '@temporalio/workflow';
import type { FlowForgeActivities } from '../activities/contract.ts';

/**
 * The catalogue channel (workflow type DESCRIBE_NODE_TYPES_WORKFLOW): the control plane starts it on
 * a task queue with a short execution timeout, and the worker that picks it up answers with the node
 * types it runs. Workers need nothing but Temporal for it, as for runs. The answer comes from a local
 * activity because workflow code cannot see the worker's registry (it runs in the workflow sandbox);
 * local, so it runs in the same worker as this workflow task and costs no extra task-queue round trip.
 */
export async function describeNodeTypes(): Promise<NodeTypesAnswer> {
  const { offeredNodeTypes } = proxyLocalActivities<FlowForgeActivities>({
    startToCloseTimeout: '5s',
    // The answer is wanted within seconds or not at all: the control plane stops waiting by then.
    retry: { maximumAttempts: 1 },
  });
  return offeredNodeTypes();
}
