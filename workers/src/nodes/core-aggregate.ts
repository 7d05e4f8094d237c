import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { DotPathSchema, getPath } from './dot-path.ts';

export const coreAggregate = defineNode({
  type: 'core.aggregate',
  version: 1,
  displayName: 'Aggregate',
  description:
    'Combines all items into one item with a single list field: the values of one field of every item (items ' +
    'without that field are left out), or, without a field, every item\u2019s whole JSON.',
  params: z.object({
    field: DotPathSchema.optional().describe('The field (dot path) to collect; unset collects whole items.'),
    into: z.string().min(1).describe('The name of the list field on the output item.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    const { field, into } = ctx.params;
    const values =
      field === undefined
        ? ctx.items.map((item) => item.json)
        : ctx.items.map((item) => getPath(item.json, field)).filter((value) => value !== undefined);
    return { main: [{ json: { [into]: values } }] };
  },
});
