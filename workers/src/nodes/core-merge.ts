import { defineNode, type Item, type PortItems } from '@flowforge/connectors-sdk';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { DotPathSchema, getPath } from './dot-path.ts';

const EXTRA_INPUTS = /^in([3-9]|[1-9]\d)$/;

const MergeParamsSchema = z
  .object({
    mode: z
      .enum(['append', 'combineByKey', 'combineByPosition', 'chooseBranch'])
      .default('append')
      .describe(
        '"append": all items, input by input; "combineByKey": join in1 and in2 on a field; ' +
          '"combineByPosition": merge the i-th items of every input; "chooseBranch": the items of one input.',
      ),
    key: DotPathSchema.optional().describe('combineByKey: the field (dot path) whose values must be equal.'),
    join: z
      .enum(['inner', 'left', 'outer'])
      .default('inner')
      .describe(
        'combineByKey/combineByPosition: "inner" keeps only matches, "left" every in1 item, "outer" every item.',
      ),
    branch: z
      .string()
      .regex(/^in[1-9]\d*$/, { error: 'branch is an input port name, like "in2"' })
      .optional()
      .describe('chooseBranch: the input whose items pass ("in2"); default the first input that has items.'),
  })
  .refine((params) => params.mode !== 'combineByKey' || params.key !== undefined, {
    error: 'mode "combineByKey" needs "key": the field to match items of in1 and in2 on, like "id"',
    path: ['key'],
  });

type MergeParams = z.infer<typeof MergeParamsSchema>;

export const coreMerge = defineNode({
  type: 'core.merge',
  version: 1,
  displayName: 'Merge',
  description:
    'Waits for its inputs (in1, in2, and in3... when connected) and combines their items: appends them, joins ' +
    'in1 and in2 on a key field, merges items by position, or passes one input through. Inputs whose branch ' +
    'did not run are left out, so a merge after an If still runs with the branch that fired.',
  params: MergeParamsSchema,
  inputs: ['in1', 'in2'],
  extraInputs: EXTRA_INPUTS,
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    return { main: merge(ctx.params, ctx.inputs) };
  },
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
