import { type Item, implementNode } from '@flowforge/connectors-sdk';
import { coreRemoveDuplicatesType } from '@flowforge/connectors-sdk/builtin';
import canonicalize from 'canonicalize';
import { getPath } from './dot-path.ts';

export const coreRemoveDuplicates = implementNode(coreRemoveDuplicatesType, (ctx) => {
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
});
