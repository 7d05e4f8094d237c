import { defineNode, type Item } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { DotPathSchema, setPath } from './dot-path.ts';

export const coreSet = defineNode({
  type: 'core.set',
  version: 1,
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
  execute(ctx) {
    const main = ctx.items.map((item, index): Item => {
      const { values, keepOnlySet } = ctx.paramsAt(index);
      let json = keepOnlySet ? {} : item.json;
      for (const [path, value] of Object.entries(values)) json = setPath(json, path, value);
      // Binary data is part of the item, not of its fields: it stays unless the item is rebuilt from scratch.
      return keepOnlySet || !item.binary ? { json } : { json, binary: item.binary };
    });
    return { main };
  },
});
