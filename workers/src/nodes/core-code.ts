import { FlowForgeError, type Item, implementNode, toItems } from '@flowforge/connectors-sdk';
import { coreCodeType } from '@flowforge/connectors-sdk/builtin';

// Time for the user's code while it holds a sandbox lane (wall clock: connectors-sdk README, "The
// sandbox"); waiting for a lane does not count. The node's own timeout (defaultTimeout) bounds the whole activity.
const CODE_TIMEOUT_MS = 10_000;

export const coreCode = implementNode(coreCodeType, async (ctx) => {
  const { mode, code } = ctx.params;
  const result = await ctx.runCode(code, { mode, items: ctx.items, timeoutMs: CODE_TIMEOUT_MS });
  return { main: mode === 'allItems' ? allItemsResult(result) : eachItemResult(result) };
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
