import type { RunInfo } from '../define-node.ts';
import type { Item, PortItems } from '../items.ts';

/**
 * JavaScript that runs INSIDE the sandbox (it is a string on purpose: it never runs in the host).
 * It defines `__ffScope(data, index)`, which builds the n8n-compatible names an expression or a
 * Code node sees for item `index`: `$json`, `$binary`, `$itemIndex`, `$input`, `$('id')`,
 * `$node`, `$execution`, `$workflow`, `$vars`, `$now`, `$today` and luxon's `DateTime`,
 * `Duration`, `Interval` (when luxon was run into the context).
 *
 * `data` is the JSON the host passed in: { items, nodeOutputs, execution: { id }, workflow }.
 */
export const SCOPE_NAMES = [
  '$json',
  '$binary',
  '$itemIndex',
  '$input',
  '$',
  '$node',
  '$execution',
  '$workflow',
  '$vars',
  '$now',
  '$today',
  'DateTime',
  'Duration',
  'Interval',
] as const;

export const SCOPE_SOURCE = `
function __ffScope(data, index) {
  'use strict';
  const items = data.items;
  const outputs = data.nodeOutputs;
  const luxon = globalThis.luxon;
  const now = luxon ? (data.now ??= luxon.DateTime.now()) : undefined;
  const itemList = (list, at) => ({
    all: () => list,
    first: () => list[0],
    last: () => list[list.length - 1],
    item: list[at],
  });
  const nodeItems = (id) => {
    const list = outputs[id] && outputs[id].main;
    if (!Array.isArray(list) || list.length === 0) {
      throw new Error('node ' + id + ' has not run or produced no items');
    }
    return list;
  };
  const item = items[index] ?? { json: {} };
  return {
    $json: item.json,
    $binary: item.binary ?? {},
    $itemIndex: index,
    $input: itemList(items, index),
    $: (id) => itemList(nodeItems(String(id)), index),
    $node: new Proxy({}, {
      get: (_, id) => {
        if (typeof id !== 'string') return undefined;
        const first = nodeItems(id)[0];
        return { json: first.json, binary: first.binary ?? {} };
      },
    }),
    $execution: { id: data.execution.id },
    $workflow: data.workflow,
    $vars: {},
    $now: now,
    $today: now ? now.startOf('day') : undefined,
    DateTime: luxon && luxon.DateTime,
    Duration: luxon && luxon.Duration,
    Interval: luxon && luxon.Interval,
  };
}
function __ffDescribe(error) {
  if (error instanceof Error) return error.name + ': ' + error.message;
  return 'thrown: ' + String(error);
}
`;

/** The names that need luxon in the context; other expressions skip the ~1 ms it costs. */
export function needsLuxon(source: string): boolean {
  return /\$now|\$today|DateTime|Duration|Interval/.test(source);
}

/**
 * The items as the sandbox gets them. For expressions, binary attachments (base64, possibly
 * megabytes) are copied in only when the source mentions them: every byte sent is parsed again
 * inside the isolate's 128 MB heap. Code always gets them, because it may return the items it got.
 * Other nodes' outputs only travel when `$(...)` or `$node` appears.
 */
export function scopeData(
  source: string,
  items: readonly Item[],
  nodeOutputs: Record<string, PortItems>,
  run: RunInfo,
  options: { alwaysBinary: boolean },
): ScopeData {
  const binary = options.alwaysBinary || /binary/.test(source);
  return {
    items: binary ? [...items] : items.map((item) => ({ json: item.json })),
    nodeOutputs: /\$\s*\(|\$node\b/.test(source) ? nodeOutputs : {},
    execution: { id: run.id },
    workflow: { name: run.workflow.name, version: run.workflow.version },
  };
}

/** The data the scope reads, as the host sends it (JSON). */
export interface ScopeData {
  items: unknown[];
  nodeOutputs: Record<string, unknown>;
  execution: { id: string };
  workflow: { name: string; version: number };
}
