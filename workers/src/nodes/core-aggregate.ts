import { implementNode } from '@flowforge/connectors-sdk';
import { coreAggregateType } from '@flowforge/connectors-sdk/builtin';
import { getPath } from './dot-path.ts';

export const coreAggregate = implementNode(coreAggregateType, (ctx) => {
  const { field, into } = ctx.params;
  const values =
    field === undefined
      ? ctx.items.map((item) => item.json)
      : ctx.items.map((item) => getPath(item.json, field)).filter((value) => value !== undefined);
  return { main: [{ json: { [into]: values } }] };
});
