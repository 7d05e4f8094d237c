/**
 * The names both sides of the engine use: the workflow type, its query and updates, the default
 * task queue and the search attributes. A rename here is a breaking change for runs in flight.
 */
export const RUN_DAG_WORKFLOW = 'runDag';
export const RUN_STATE_QUERY = 'runState';
/** Run control updates: no new node starts while paused. */
export const PAUSE_UPDATE = 'pause';
export const RESUME_UPDATE = 'resume';
/** A signed approve/reject decision for a waiting core.approval node. */
export const DECIDE_UPDATE = 'decide';
/** The body POSTed to a waiting core.wait node's signed resume URL. */
export const RESUME_WEBHOOK_UPDATE = 'resumeWebhook';
export const DEFAULT_TASK_QUEUE = 'flowforge';
/**
 * The catalogue channel: the control plane starts this workflow on a task queue and the worker that
 * picks it up answers with the node types it runs (NodeTypesAnswer), from a local activity.
 */
export const DESCRIBE_NODE_TYPES_WORKFLOW = 'describeNodeTypes';
/** Custom search attributes, registered on the dev server by `npm start` and the tests. */
export const SEARCH_ATTRIBUTES = {
  workflow: 'FlowForgeWorkflow',
  version: 'FlowForgeVersion',
  /** Keyword list of the node ids waiting for a decision; the control plane finds waiting runs by it. */
  waitingApproval: 'FlowForgeWaitingApproval',
} as const;
