// The built-in node types as descriptors: params (zod), ports, capabilities; no execution code, so
// the control plane, the docs and the CLI load them without the worker. The worker joins each one
// with its `execute` (workers/src/nodes/).

import { type CredentialTypeRegistry, createCredentialRegistry } from '../define-credential.ts';
import { type AnyNodeDescriptor, createRegistry, type DescriptorRegistry } from '../define-node.ts';
import { coreAggregateType } from './core-aggregate.ts';
import { coreApprovalType } from './core-approval.ts';
import { coreCodeType } from './core-code.ts';
import { coreExecuteWorkflowType } from './core-execute-workflow.ts';
import { coreFilterType } from './core-filter.ts';
import { coreIfType } from './core-if.ts';
import { coreLimitType } from './core-limit.ts';
import { coreLoopType } from './core-loop.ts';
import { coreMergeType } from './core-merge.ts';
import { coreNoopType } from './core-noop.ts';
import { coreRemoveDuplicatesType } from './core-remove-duplicates.ts';
import { coreRespondToWebhookType, type RespondToWebhookParams } from './core-respond-to-webhook.ts';
import { coreSetType } from './core-set.ts';
import { coreSortType } from './core-sort.ts';
import { coreSplitOutType } from './core-split-out.ts';
import { coreStopAndErrorType } from './core-stop-and-error.ts';
import { coreSwitchType } from './core-switch.ts';
import { coreWaitType } from './core-wait.ts';
import { httpCredentialTypes } from './http-credentials.ts';
import { httpRequestType } from './http-request.ts';
import { triggerErrorType } from './trigger-error.ts';
import { triggerManualType } from './trigger-manual.ts';
import { triggerScheduleType } from './trigger-schedule.ts';
import { triggerWebhookType } from './trigger-webhook.ts';
import { webhookHmacSecret } from './webhook-credentials.ts';

export { ConditionSchema } from './condition.ts';
export { coreMergeType, type MergeParams } from './core-merge.ts';
export { coreSortType, type SortKey } from './core-sort.ts';
export { coreSwitchType, switchPorts } from './core-switch.ts';
export { DotPathSchema } from './dot-path.ts';
export * from './http-credentials.ts';
export { HTTP_AUTHENTICATIONS, type HttpAuthentication, type HttpParams, httpRequestType } from './http-request.ts';
export * from './webhook-credentials.ts';
export {
  coreAggregateType,
  coreApprovalType,
  coreCodeType,
  coreExecuteWorkflowType,
  coreFilterType,
  coreIfType,
  coreLimitType,
  coreLoopType,
  coreNoopType,
  coreRemoveDuplicatesType,
  coreRespondToWebhookType,
  coreSetType,
  coreSplitOutType,
  coreStopAndErrorType,
  coreWaitType,
  type RespondToWebhookParams,
  triggerErrorType,
  triggerManualType,
  triggerScheduleType,
  triggerWebhookType,
};

/** Every built-in node type, in the order the palette and docs show them. */
export const builtinNodeTypes: readonly AnyNodeDescriptor[] = Object.freeze([
  triggerManualType,
  triggerWebhookType,
  triggerScheduleType,
  triggerErrorType,
  coreSetType,
  coreIfType,
  coreSwitchType,
  coreMergeType,
  coreFilterType,
  coreSortType,
  coreLimitType,
  coreAggregateType,
  coreSplitOutType,
  coreRemoveDuplicatesType,
  coreLoopType,
  coreNoopType,
  coreCodeType,
  coreWaitType,
  coreApprovalType,
  coreExecuteWorkflowType,
  coreRespondToWebhookType,
  coreStopAndErrorType,
  httpRequestType,
] as AnyNodeDescriptor[]);

export const builtinTypeRegistry: DescriptorRegistry = createRegistry(builtinNodeTypes);

/** Every built-in credential type (beside the connectors that use them). */
export const builtinCredentialTypes = Object.freeze([...httpCredentialTypes, webhookHmacSecret]);

export const builtinCredentialRegistry: CredentialTypeRegistry = createCredentialRegistry(builtinCredentialTypes);
