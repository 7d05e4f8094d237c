import { FlowForgeError, implementNode } from '@flowforge/connectors-sdk';
import { coreStopAndErrorType } from '@flowforge/connectors-sdk/builtin';

export const coreStopAndError = implementNode(coreStopAndErrorType, (ctx): never => {
  throw new FlowForgeError('FF_STOP_AND_ERROR', ctx.params.message, { details: { nodeId: ctx.nodeId } });
});
