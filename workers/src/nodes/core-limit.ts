import { implementNode } from '@flowforge/connectors-sdk';
import { coreLimitType } from '@flowforge/connectors-sdk/builtin';

export const coreLimit = implementNode(coreLimitType, (ctx) => {
  const { max, from } = ctx.params;
  if (max === 0) return { main: [] };
  return { main: from === 'start' ? ctx.items.slice(0, max) : ctx.items.slice(-max) };
});
