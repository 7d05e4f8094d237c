import { FlowForgeError, type Item, implementNode, type JsonObject } from '@flowforge/connectors-sdk';
import { coreSplitOutType } from '@flowforge/connectors-sdk/builtin';
import { getPath, lastSegment } from './dot-path.ts';

export const coreSplitOut = implementNode(coreSplitOutType, (ctx) => {
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
