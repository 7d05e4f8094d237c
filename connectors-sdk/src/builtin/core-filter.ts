import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { ConditionSchema } from './condition.ts';

export const coreFilterType = defineNodeType({
  type: 'core.filter',
  version: 1,
  group: 'transform',
  displayName: 'Filter',
  description:
    'Keeps the items for which a condition, evaluated for each item, is truthy, and drops the rest. When no ' +
    'item passes, the output does not fire and the nodes after it are skipped.',
  params: z.object({ condition: ConditionSchema }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
