import { defineNode, FlowForgeError, type Item, type JsonObject } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { DotPathSchema, getPath, lastSegment } from './dot-path.ts';

export const coreSplitOut = defineNode({
  type: 'core.splitOut',
  version: 1,
  displayName: 'Split Out',
  description:
    'Turns a list inside each item into one item per element. Object elements become the items themselves ' +
    '(or go under "into" when it is set); other values become { [into or the field name]: element }.',
  params: z.object({
    field: DotPathSchema.describe('The field (dot path) that holds the list, like "orders" or "body.results".'),
    into: z.string().min(1).optional().describe('Put each element under this field instead of spreading it.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    const main = ctx.items.flatMap((item, index): Item[] => {
      const { field, into } = ctx.paramsAt(index);
      const list = getPath(item.json, field);
      if (!Array.isArray(list)) {
        const found = list === undefined ? 'it is missing' : `it is ${describeValue(list)}`;
        throw new FlowForgeError('FF_INVALID_PARAMS', `item ${index} has no list at "${field}": ${found}`, {
          path: ['params', 'field'],
          hint: 'point "field" at an array, or filter out the items without one first',
          details: { itemIndex: index },
        });
      }
      return list.map((element: unknown) => ({ json: elementJson(element, into, field) }));
    });
    return { main };
  },
});

function elementJson(element: unknown, into: string | undefined, field: string): JsonObject {
  const isObject = element !== null && typeof element === 'object' && !Array.isArray(element);
  if (isObject && into === undefined) return element as JsonObject;
  return { [into ?? lastSegment(field)]: element };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
