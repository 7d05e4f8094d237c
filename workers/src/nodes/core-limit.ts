import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';

export const coreLimit = defineNode({
  type: 'core.limit',
  version: 1,
  displayName: 'Limit',
  description: 'Keeps at most a number of items, from the start (the first ones) or from the end (the last ones).',
  params: z.object({
    max: z.int().min(0).describe('How many items to keep at most.'),
    from: z.enum(['start', 'end']).default('start').describe('"start" keeps the first items, "end" the last ones.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    const { max, from } = ctx.params;
    if (max === 0) return { main: [] };
    return { main: from === 'start' ? ctx.items.slice(0, max) : ctx.items.slice(-max) };
  },
});
