import { describe, expect, it } from 'vitest';
import { referencedNodes } from './referenced-nodes.ts';

describe('referencedNodes', () => {
  it('finds $(\'id\'), $("id") and $node["id"] anywhere in nested parameters', () => {
    const params = {
      url: "={{ $('fetch').first().json.url }}",
      values: { a: '={{ $("lookup").item.json.a }}', list: ['={{ $node["legacy"].json.x }}'] },
      plain: 'no reference here',
      count: 3,
    };
    expect(referencedNodes(params).sort()).toEqual(['fetch', 'legacy', 'lookup']);
  });

  it('returns each node once and nothing for parameters without references', () => {
    expect(referencedNodes({ a: "={{ $('x').all().length + $('x').first().json.n }}" })).toEqual(['x']);
    expect(referencedNodes({ a: '={{ $json.total }}', b: null })).toEqual([]);
  });
});
