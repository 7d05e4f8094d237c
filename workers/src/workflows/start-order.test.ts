import { describe, expect, it } from 'vitest';
import type { NodeToRun } from '../interpreter/index.ts';
import { reordered, waitsFirst } from './start-order.ts';

const types: Record<string, string> = {
  fetch: 'http.request',
  pause: 'core.wait',
  set: 'core.set',
  gate: 'core.approval',
};
const typeOf = (id: string) => types[id];
const ready = (...ids: string[]): NodeToRun[] => ids.map((id) => ({ id, inputs: {} }));
const ids = (nodes: NodeToRun[]) => nodes.map((node) => node.id);

describe('waitsFirst', () => {
  it('moves durable waits (core.wait, core.approval) before the other ready nodes, keeping file order in each group', () => {
    const before = ready('fetch', 'pause', 'set', 'gate');
    const after = waitsFirst(before, typeOf);
    expect(ids(after)).toEqual(['pause', 'gate', 'fetch', 'set']);
    expect(reordered(before, after)).toBe(true);
  });

  it('leaves an order without a wait behind another node as it is (no patch needed)', () => {
    for (const before of [ready('pause', 'fetch'), ready('fetch', 'set'), ready('gate'), ready()]) {
      const after = waitsFirst(before, typeOf);
      expect(ids(after)).toEqual(ids(before));
      expect(reordered(before, after)).toBe(false);
    }
  });
});
