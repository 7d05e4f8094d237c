import { defineNode, type Item } from '@flowforge/connectors-sdk';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { DotPathSchema, getPath } from './dot-path.ts';

export const coreRemoveDuplicates = defineNode({
  type: 'core.removeDuplicates',
  version: 1,
  displayName: 'Remove Duplicates',
  description:
    'Drops items that repeat an earlier item, keeping the first. Items are compared on the listed fields, or on ' +
    'their whole JSON when no field is listed; key order inside objects does not matter.',
  params: z.object({
    fields: z
      .array(DotPathSchema)
      .min(1, { error: 'list at least one field, or leave "fields" out to compare whole items' })
      .optional()
      .describe('Fields (dot paths) that make two items the same; unset compares the whole JSON.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    const { fields } = ctx.params;
    const seen = new Set<string>();
    const main: Item[] = [];
    for (const item of ctx.items) {
      // canonicalize (RFC 8785) gives equal values equal text regardless of key order; undefined → null.
      const compared = fields ? fields.map((field) => getPath(item.json, field) ?? null) : item.json;
      const key = canonicalize(compared) ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      main.push(item);
    }
    return { main };
  },
});
