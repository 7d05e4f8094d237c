import { defineNode, type Item } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { ConditionSchema } from './condition.ts';

export const coreIf = defineNode({
  type: 'core.if',
  version: 1,
  displayName: 'If',
  description:
    'Splits items in two by a condition evaluated for each item: items for which it is truthy go to the ' +
    '"true" port, the others to "false". A port that gets no items does not fire, so the nodes behind it are skipped.',
  params: z.object({ condition: ConditionSchema }),
  inputs: ['main'],
  outputs: ['true', 'false'],
  defaultTimeout: '30s',
  execute(ctx) {
    const matched: Item[] = [];
    const rest: Item[] = [];
    ctx.items.forEach((item, index) => {
      (ctx.paramsAt(index).condition ? matched : rest).push(item);
    });
    return { true: matched, false: rest };
  },
});
