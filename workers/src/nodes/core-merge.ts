import { type Item, implementNode, type PortItems } from '@flowforge/connectors-sdk';
import { coreMergeType, type MergeParams } from '@flowforge/connectors-sdk/builtin';
import canonicalize from 'canonicalize';
import { getPath } from './dot-path.ts';

export const coreMerge = implementNode(coreMergeType, (ctx) => {
  return { main: merge(ctx.params, ctx.inputs) };
});

function merge(params: MergeParams, inputs: PortItems): Item[] {
  const ordered = inputPorts(inputs).map((port) => inputs[port] ?? []);
  switch (params.mode) {
    case 'append':
      return ordered.flat();
    case 'combineByKey':
      return combineByKey(inputs.in1 ?? [], inputs.in2 ?? [], params.key ?? '', params.join);
    case 'combineByPosition':
      return combineByPosition(inputs, params.join);
    case 'chooseBranch':
      return params.branch ? (inputs[params.branch] ?? []) : (ordered.find((items) => items.length > 0) ?? []);
    default: {
      const exhaustive: never = params.mode;
      throw new Error(`unknown merge mode ${String(exhaustive)}`);
    }
  }
}

/** in1, in2, in3 ... in numeric order (in10 after in9), ignoring any other port. */
function inputPorts(inputs: PortItems): string[] {
  return Object.keys(inputs)
    .filter((port) => /^in[1-9]\d*$/.test(port))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
}

/**
 * Later items win on conflicting fields and binary keys, as n8n's merge does. fromEntries, not
 * Object.assign: an own "__proto__" key in parsed JSON must stay a field, not become a prototype.
 */
function combine(items: Item[]): Item {
  const json = Object.fromEntries(items.flatMap((item) => Object.entries(item.json)));
  const binaries = items.flatMap((item) => Object.entries(item.binary ?? {}));
  return binaries.length > 0 ? { json, binary: Object.fromEntries(binaries) } : { json };
}

function combineByKey(left: Item[], right: Item[], key: string, join: MergeParams['join']): Item[] {
  // Canonical JSON makes { a: 1, b: 2 } and { b: 2, a: 1 } the same key, and 1 and "1" different ones.
  const keyOf = (item: Item): string | undefined => {
    const value = getPath(item.json, key);
    return value === undefined || value === null ? undefined : canonicalize(value);
  };
  const rightByKey = new Map<string, Item[]>();
  for (const item of right) {
    const itemKey = keyOf(item);
    if (itemKey !== undefined) rightByKey.set(itemKey, [...(rightByKey.get(itemKey) ?? []), item]);
  }
  const matchedRight = new Set<Item>();
  const merged: Item[] = [];
  for (const item of left) {
    const itemKey = keyOf(item);
    const matches = itemKey === undefined ? [] : (rightByKey.get(itemKey) ?? []);
    for (const match of matches) {
      matchedRight.add(match);
      merged.push(combine([item, match]));
    }
    if (matches.length === 0 && join !== 'inner') merged.push(item);
  }
  if (join === 'outer') merged.push(...right.filter((item) => !matchedRight.has(item)));
  return merged;
}

function combineByPosition(inputs: PortItems, join: MergeParams['join']): Item[] {
  const lists = inputPorts(inputs).map((port) => inputs[port] ?? []);
  if (lists.length === 0) return [];
  const lengths = lists.map((items) => items.length);
  const count =
    join === 'inner' ? Math.min(...lengths) : join === 'left' ? (inputs.in1?.length ?? 0) : Math.max(...lengths);
  return Array.from({ length: count }, (_, index) =>
    combine(lists.map((items) => items[index]).filter((item): item is Item => item !== undefined)),
  );
}
