import { type Item, implementNode } from '@flowforge/connectors-sdk';
import { coreIfType } from '@flowforge/connectors-sdk/builtin';

export const coreIf = implementNode(coreIfType, (ctx) => {
  const matched: Item[] = [];
  const rest: Item[] = [];
  ctx.items.forEach((item, index) => {
    (ctx.paramsAt(index).condition ? matched : rest).push(item);
  });
  return { true: matched, false: rest };
});
