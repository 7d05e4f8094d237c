import type { ApprovalRequest } from './approval.ts';
import type { SubworkflowRequest } from './subworkflow.ts';
import type { WebhookWaitRequest } from './webhook-wait.ts';

/**
 * What a node asked the run to do after its activity returned, besides delivering its outputs:
 * wait on a timer (core.wait), for a decision (core.approval), for its resume webhook (core.wait,
 * resume: webhook), or for a child run (core.executeWorkflow). One at most: `runDag` handles each
 * kind in one exhaustive switch.
 */
export type NodeEffect =
  | { kind: 'timer' /** ISO time */; until: string }
  | { kind: 'approval'; request: ApprovalRequest }
  | { kind: 'webhook'; request: WebhookWaitRequest }
  | { kind: 'subworkflow'; request: SubworkflowRequest };
