import { implementNode } from '@flowforge/connectors-sdk';
import { coreFilterType } from '@flowforge/connectors-sdk/builtin';

export const coreFilter = implementNode(coreFilterType, (ctx) => {
  return { main: ctx.items.filter((_, index) => Boolean(ctx.paramsAt(index).condition)) };
});
