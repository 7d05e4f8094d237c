import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const coreCodeType = defineNodeType({
  type: 'core.code',
  version: 1,
  group: 'developer',
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
});
