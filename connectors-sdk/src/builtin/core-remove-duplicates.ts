import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

export const coreRemoveDuplicatesType = defineNodeType({
  type: 'core.removeDuplicates',
  version: 1,
  group: 'transform',
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
  capabilities: { pure: true },
});
