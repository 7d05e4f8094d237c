import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { ConditionSchema } from './condition.ts';

export const coreFilter = defineNode({
  type: 'core.filter',
  version: 1,
  displayName: 'Filter',
  description:
    'Keeps the items for which a condition, evaluated for each item, is truthy, and drops the rest. When no ' +
    'item passes, the output does not fire and the nodes after it are skipped.',
  params: z.object({ condition: ConditionSchema }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    return { main: ctx.items.filter((_, index) => Boolean(ctx.paramsAt(index).condition)) };
  },
});
