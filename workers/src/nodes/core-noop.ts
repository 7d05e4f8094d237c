import { implementNode } from '@flowforge/connectors-sdk';
import { coreNoopType } from '@flowforge/connectors-sdk/builtin';

export const coreNoop = implementNode(coreNoopType, (ctx) => {
  return { main: ctx.items };
});
