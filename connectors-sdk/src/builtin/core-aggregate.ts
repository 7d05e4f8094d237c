import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

export const coreAggregateType = defineNodeType({
  type: 'core.aggregate',
  version: 1,
  group: 'transform',
  displayName: 'Aggregate',
  description:
    'Combines all items into one item with a single list field: the values of one field of every item (items ' +
    'without that field are left out), or, without a field, every item\u2019s whole JSON.',
  params: z.object({
    field: DotPathSchema.optional().describe('The field (dot path) to collect; unset collects whole items.'),
    into: z.string().min(1).describe('The name of the list field on the output item.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
