import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

export const coreSetType = defineNodeType({
  type: 'core.set',
  version: 1,
  group: 'transform',
  displayName: 'Set Fields',
  description:
    'Sets fields on every item. Each key is a dot path ("customer.address.city") that is created when it is ' +
    'missing, and each value is a constant or an expression evaluated for that item. With keepOnlySet the ' +
    'items keep only the fields set here.',
  params: z.object({
    values: z
      .record(DotPathSchema, z.unknown())
      .describe('Fields to set: dot path → value or expression ("={{ $json.price * 2 }}").'),
    keepOnlySet: z
      .boolean()
      .default(false)
      .describe('Start each item from an empty object instead of a copy of its input fields.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
