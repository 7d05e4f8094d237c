import { setTimeout as delay } from 'node:timers/promises';
import { createRegistry, defineNode, FlowForgeError, type Item, type NodeRegistry } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { builtinNodes } from '../../src/nodes/index.ts';

/** Node types for the engine's tests only; they run in the test's own worker. */

/** Attempts per idempotency key (run + node): the worker runs in the test process. */
const attemptsByKey = new Map<string, number>();

export const testFlaky = defineNode({
  type: 'test.flaky',
  version: 1,
  displayName: 'Flaky',
  description: 'Fails its first `failures` attempts with the given error code, then passes its items on.',
  params: z.object({
    failures: z.int().min(0),
    code: z.enum(['FF_HTTP_NETWORK', 'FF_HTTP_STATUS', 'FF_STOP_AND_ERROR']).default('FF_HTTP_NETWORK'),
    retryable: z.boolean().default(true),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    const attempt = (attemptsByKey.get(ctx.idempotencyKey) ?? 0) + 1;
    attemptsByKey.set(ctx.idempotencyKey, attempt);
    if (attempt <= ctx.params.failures) {
      throw new FlowForgeError(ctx.params.code, `flaky node failed on attempt ${attempt}`, {
        retryable: ctx.params.retryable,
      });
    }
    return { main: ctx.items };
  },
});

export const testSleep = defineNode({
  type: 'test.sleep',
  version: 1,
  displayName: 'Sleep',
  description: 'Waits `ms` (or until aborted) inside the activity, then passes its items on.',
  params: z.object({ ms: z.int().min(0), ignoreAbort: z.boolean().default(false) }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '1m',
  async execute(ctx) {
    await delay(ctx.params.ms, undefined, ctx.params.ignoreAbort ? {} : { signal: ctx.signal });
    return { main: ctx.items };
  },
});

export const testBig = defineNode({
  type: 'test.big',
  version: 1,
  displayName: 'Big output',
  description: 'Outputs `megabytes` of items of about 1 KiB each.',
  params: z.object({ megabytes: z.number().positive() }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '1m',
  execute(ctx) {
    const count = Math.round(ctx.params.megabytes * 1024);
    const filler = 'x'.repeat(1000);
    const items: Item[] = Array.from({ length: count }, (_, index) => ({ json: { index, filler } }));
    return { main: items };
  },
});

export const testMeasure = defineNode({
  type: 'test.measure',
  version: 1,
  displayName: 'Measure',
  description: 'Outputs one item describing its inputs: item count, JSON bytes, and the last item index seen.',
  params: z.object({}),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '1m',
  execute(ctx) {
    const last = ctx.items.at(-1)?.json.index;
    return {
      main: [{ json: { items: ctx.items.length, bytes: Buffer.byteLength(JSON.stringify(ctx.items)), last } }],
    };
  },
});

export const testNodes = [testFlaky, testSleep, testBig, testMeasure];

export const testRegistry: NodeRegistry = createRegistry([...builtinNodes, ...testNodes]);
