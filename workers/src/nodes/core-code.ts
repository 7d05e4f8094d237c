import { defineNode, FlowForgeError, type Item, toItems } from '@flowforge/connectors-sdk';
import { z } from 'zod';

// CPU time for the user's code; the node's own timeout (defaultTimeout) bounds the whole activity.
const CODE_TIMEOUT_MS = 10_000;

export const coreCode = defineNode({
  type: 'core.code',
  version: 1,
  displayName: 'Code',
  description:
    'Runs JavaScript in a sandbox (no network, files or process; CPU and memory limits). In "allItems" mode the ' +
    'code runs once with `items` and returns an array of objects (or one object); in "eachItem" mode it runs ' +
    'once per item with `$json` and returns one object per item.',
  params: z.object({
    mode: z
      .enum(['allItems', 'eachItem'])
      .default('allItems')
      .describe('"allItems": run once for all items; "eachItem": run once per item.'),
    code: z
      .string()
      .min(1, { error: 'the code is empty; write a function body that returns the output items' })
      .describe('A JavaScript function body that returns the output, like "return items.map(i => i.json);".'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '1m',
  literalParams: ['code'],
  async execute(ctx) {
    const { mode, code } = ctx.params;
    const result = await ctx.runCode(code, { mode, items: ctx.items, timeoutMs: CODE_TIMEOUT_MS });
    return { main: mode === 'allItems' ? allItemsResult(result) : eachItemResult(result) };
  },
});

function allItemsResult(result: unknown): Item[] {
  const list = Array.isArray(result) ? result : [result];
  list.forEach((entry, index) => {
    if (!isObject(entry)) {
      const where = Array.isArray(result) ? `element ${index} of the returned array is` : 'the code returned';
      throw notAnObject(`${where} ${describe(entry)}`, 'return an array of objects, like [{ total: 1 }]');
    }
  });
  return toItems(list);
}

function eachItemResult(result: unknown): Item[] {
  // The sandbox returns one result per input item in "eachItem" mode.
  const results = Array.isArray(result) ? result : [result];
  results.forEach((entry, index) => {
    if (!isObject(entry)) {
      throw notAnObject(
        `for item ${index} the code returned ${describe(entry)}`,
        'return one object, like { total: 1 }',
      );
    }
  });
  return toItems(results);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

function notAnObject(what: string, hint: string): FlowForgeError {
  return new FlowForgeError('FF_SANDBOX', `${what}, not an object; items are objects`, {
    path: ['params', 'code'],
    hint,
  });
}
