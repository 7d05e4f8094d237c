/**
 * What expressions cost per node run: `node --import tsx connectors-sdk/bench/expression-cost.ts`
 * (Node 24). Prints the median time of runNode for a literal param (no sandbox), one
 * `={{ $json.x }}` param for 1 and 100 items, a `$now` param (luxon loaded), and a Code node call.
 */
import { z } from 'zod';
import { defineNode } from '../src/define-node.ts';
import { disposeSandbox } from '../src/runtime/index.ts';
import { runNodeForTest, type TestNodeOptions } from '../src/testing/index.ts';

const echo = defineNode({
  type: 'bench.echo',
  version: 1,
  displayName: 'Echo',
  description: 'Reads its params for every item.',
  params: z.record(z.string(), z.unknown()),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute: async (ctx) => {
    if (typeof ctx.params.code === 'string') {
      await ctx.runCode(ctx.params.code, { mode: 'allItems', items: ctx.items });
      return { main: ctx.items };
    }
    return { main: ctx.items.map((_, index) => ({ json: ctx.paramsAt(index) })) };
  },
});

async function median(label: string, options: TestNodeOptions, runs = 200): Promise<void> {
  for (let i = 0; i < 20; i++) await runNodeForTest(echo, options);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await runNodeForTest(echo, options);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(3);
  console.log(`${label.padEnd(44)} median ${at(0.5)} ms   p90 ${at(0.9)} ms`);
}

const items = (n: number) => Array.from({ length: n }, (_, x) => ({ x }));
await median('literal param, 1 item (no sandbox)', { params: { v: 1 }, items: items(1) });
await median('={{ $json.x }}, 1 item', { params: { v: '={{ $json.x }}' }, items: items(1) });
await median('={{ $json.x }}, 100 items', { params: { v: '={{ $json.x }}' }, items: items(100) });
await median('={{ $now.toISO() }}, 1 item (luxon)', { params: { v: '={{ $now.toISO() }}' }, items: items(1) });
await median('code "return items.length", 100 items', { params: { code: 'return items.length' }, items: items(100) });
disposeSandbox();
