// The built-in node types' implementations: each joins its descriptor (@flowforge/connectors-sdk/builtin)
// with its `execute`. Importing this module does no I/O.
import { type AnyNodeDefinition, createRegistry, type NodeRegistry } from '@flowforge/connectors-sdk';
import { builtinNodeTypes } from '@flowforge/connectors-sdk/builtin';
import { coreAggregate } from './core-aggregate.ts';
import { coreApproval } from './core-approval.ts';
import { coreCode } from './core-code.ts';
import { coreExecuteWorkflow } from './core-execute-workflow.ts';
import { coreFilter } from './core-filter.ts';
import { coreIf } from './core-if.ts';
import { coreLimit } from './core-limit.ts';
import { coreLoop } from './core-loop.ts';
import { coreMerge } from './core-merge.ts';
import { coreNoop } from './core-noop.ts';
import { coreRemoveDuplicates } from './core-remove-duplicates.ts';
import { coreRespondToWebhook } from './core-respond-to-webhook.ts';
import { coreSet } from './core-set.ts';
import { coreSort } from './core-sort.ts';
import { coreSplitOut } from './core-split-out.ts';
import { coreStopAndError } from './core-stop-and-error.ts';
import { coreSwitch } from './core-switch.ts';
import { coreWait } from './core-wait.ts';
import { httpRequest } from './http-request.ts';
import { triggerError } from './trigger-error.ts';
import { triggerManual } from './trigger-manual.ts';
import { triggerSchedule } from './trigger-schedule.ts';
import { triggerWebhook } from './trigger-webhook.ts';

export {
  coreAggregate,
  coreApproval,
  coreCode,
  coreExecuteWorkflow,
  coreFilter,
  coreIf,
  coreLimit,
  coreLoop,
  coreMerge,
  coreNoop,
  coreRemoveDuplicates,
  coreRespondToWebhook,
  coreSet,
  coreSort,
  coreSplitOut,
  coreStopAndError,
  coreSwitch,
  coreWait,
  httpRequest,
  triggerError,
  triggerManual,
  triggerSchedule,
  triggerWebhook,
};

const implementations: readonly AnyNodeDefinition[] = [
  triggerManual,
  triggerWebhook,
  triggerSchedule,
  triggerError,
  coreSet,
  coreIf,
  coreSwitch,
  coreMerge,
  coreFilter,
  coreSort,
  coreLimit,
  coreAggregate,
  coreSplitOut,
  coreRemoveDuplicates,
  coreLoop,
  coreNoop,
  coreCode,
  coreWait,
  coreApproval,
  coreExecuteWorkflow,
  coreRespondToWebhook,
  coreStopAndError,
  httpRequest,
] as AnyNodeDefinition[];

/** Every built-in node type with its implementation, in the descriptors' order (the palette's). */
export const builtinNodes: readonly AnyNodeDefinition[] = Object.freeze(
  builtinNodeTypes.map((descriptor) => {
    const found = implementations.find((node) => node.type === descriptor.type);
    if (!found) throw new Error(`built-in node type "${descriptor.type}" has no implementation`);
    return found;
  }),
);

export const builtinRegistry: NodeRegistry = createRegistry(builtinNodes);
