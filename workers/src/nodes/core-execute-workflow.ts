import { implementNode } from '@flowforge/connectors-sdk';
import { coreExecuteWorkflowType } from '@flowforge/connectors-sdk/builtin';

export const coreExecuteWorkflow = implementNode(coreExecuteWorkflowType, (ctx) => {
  const { workflow, version, input, wait } = ctx.params;
  ctx.startWorkflow({ workflow, version, input: input ?? ctx.items[0]?.json ?? {}, wait });
  return { main: ctx.items };
});
