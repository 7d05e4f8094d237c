import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { DotPathSchema, getPath } from './dot-path.ts';

const SortKeySchema = z.object({
  field: DotPathSchema.describe('The field (dot path) to sort by.'),
  order: z.enum(['asc', 'desc']).default('asc').describe('"asc" (smallest first) or "desc".'),
});

type SortKey = z.infer<typeof SortKeySchema>;

export const coreSort = defineNode({
  type: 'core.sort',
  version: 1,
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
  execute(ctx) {
    const { by } = ctx.params;
    // Array.prototype.sort is stable (ES2019), which keeps equal items in input order.
    const main = [...ctx.items].sort((a, b) => compareBy(by, a.json, b.json));
    return { main };
  },
});

function compareBy(keys: SortKey[], a: unknown, b: unknown): number {
  for (const { field, order } of keys) {
    const result = compareValues(getPath(a, field), getPath(b, field), order);
    if (result !== 0) return result;
  }
  return 0;
}

function compareValues(a: unknown, b: unknown, order: SortKey['order']): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const sign = order === 'desc' ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return sign * (Number(a) - Number(b));
  const text = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));
  return sign * text(a).localeCompare(text(b));
}
