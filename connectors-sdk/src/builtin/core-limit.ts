import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const coreLimitType = defineNodeType({
  type: 'core.limit',
  version: 1,
  group: 'transform',
  displayName: 'Limit',
  description: 'Keeps at most a number of items, from the start (the first ones) or from the end (the last ones).',
  params: z.object({
    max: z.int().min(0).describe('How many items to keep at most.'),
    from: z.enum(['start', 'end']).default('start').describe('"start" keeps the first items, "end" the last ones.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
