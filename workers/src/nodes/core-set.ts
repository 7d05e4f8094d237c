import { type Item, implementNode } from '@flowforge/connectors-sdk';
import { coreSetType } from '@flowforge/connectors-sdk/builtin';
import { setPath } from './dot-path.ts';

export const coreSet = implementNode(coreSetType, (ctx) => {
  const main = ctx.items.map((item, index): Item => {
    const { values, keepOnlySet } = ctx.paramsAt(index);
    let json = keepOnlySet ? {} : item.json;
    for (const [path, value] of Object.entries(values)) json = setPath(json, path, value);
    // Binary data is part of the item, not of its fields: it stays unless the item is rebuilt from scratch.
    return keepOnlySet || !item.binary ? { json } : { json, binary: item.binary };
  });
  return { main };
});
