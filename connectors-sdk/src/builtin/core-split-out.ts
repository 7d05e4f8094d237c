import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

export const coreSplitOutType = defineNodeType({
  type: 'core.splitOut',
  version: 1,
  group: 'transform',
  displayName: 'Split Out',
  description:
    'Turns a list inside each item into one item per element. Object elements become the items themselves ' +
    '(or go under "into" when it is set); other values become { [into or the field name]: element }.',
  params: z.object({
    field: DotPathSchema.describe('The field (dot path) that holds the list, like "orders" or "body.results".'),
    into: z.string().min(1).optional().describe('Put each element under this field instead of spreading it.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
