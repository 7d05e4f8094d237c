import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

const SortKeySchema = z.object({
  field: DotPathSchema.describe('The field (dot path) to sort by.'),
  order: z.enum(['asc', 'desc']).default('asc').describe('"asc" (smallest first) or "desc".'),
});

export type SortKey = z.infer<typeof SortKeySchema>;

export const coreSortType = defineNodeType({
  type: 'core.sort',
  version: 1,
  group: 'transform',
  displayName: 'Sort',
  description:
    'Sorts items by one or more fields, the first field first. Numbers compare as numbers, strings in locale ' +
    'order; items missing a field come last whatever the order; equal items keep their input order.',
  params: z.object({
    by: z
      .array(SortKeySchema)
      .min(1, { error: 'sort needs at least one field, like [{ "field": "total", "order": "desc" }]' })
      .describe('Sort keys, most significant first: { field, order }.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
