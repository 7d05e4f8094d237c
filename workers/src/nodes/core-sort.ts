import { implementNode } from '@flowforge/connectors-sdk';
import { coreSortType, type SortKey } from '@flowforge/connectors-sdk/builtin';
import { getPath } from './dot-path.ts';

export const coreSort = implementNode(coreSortType, (ctx) => {
  const { by } = ctx.params;
  // Array.prototype.sort is stable (ES2019), which keeps equal items in input order.
  const main = [...ctx.items].sort((a, b) => compareBy(by, a.json, b.json));
  return { main };
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
