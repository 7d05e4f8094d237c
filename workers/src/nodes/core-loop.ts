import { implementNode, LOOP_PORT } from '@flowforge/connectors-sdk';
import { coreLoopType } from '@flowforge/connectors-sdk/builtin';

export const coreLoop = implementNode(coreLoopType, (ctx) => {
  return { [LOOP_PORT]: ctx.items.slice(0, ctx.params.batchSize) };
});
