import { implementNode, toItems } from '@flowforge/connectors-sdk';
import { triggerManualType } from '@flowforge/connectors-sdk/builtin';

export const triggerManual = implementNode(triggerManualType, (ctx) => {
  return { main: runInputItems(ctx.run.input) };
});

/** A trigger's output: the run input as items, and one empty item when there is none. */
export function runInputItems(input: unknown) {
  const items = toItems(input);
  return items.length > 0 ? items : [{ json: {} }];
}
