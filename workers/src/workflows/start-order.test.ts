import { describe, expect, it } from 'vitest';
import type { NodeToRun } from '../interpreter/index.ts';
import { durableWaitsOf, reordered, waitsFirst } from './start-order.ts';

const types: Record<string, string> = {
  fetch: 'http.request',
  pause: 'core.wait',
  set: 'core.set',
  gate: 'core.approval',
};
const typeOf = (id: string) => types[id];
// A history recorded before runs listed their durable waits: the types that had the capability then.
const isWait = durableWaitsOf(undefined, typeOf);
const ready = (...ids: string[]): NodeToRun[] => ids.map((id) => ({ id, inputs: {} }));
const ids = (nodes: NodeToRun[]) => nodes.map((node) => node.id);

describe('waitsFirst', () => {
  it('moves durable waits (core.wait, core.approval) before the other ready nodes, keeping file order in each group', () => {
    const before = ready('fetch', 'pause', 'set', 'gate');
    const after = waitsFirst(before, isWait);
    expect(ids(after)).toEqual(['pause', 'gate', 'fetch', 'set']);
    expect(reordered(before, after)).toBe(true);
  });

  it('leaves an order without a wait behind another node as it is (no patch needed)', () => {
    for (const before of [ready('pause', 'fetch'), ready('fetch', 'set'), ready('gate'), ready()]) {
      const after = waitsFirst(before, isWait);
      expect(ids(after)).toEqual(ids(before));
      expect(reordered(before, after)).toBe(false);
    }
  });

  it("takes the verified run's list of durable waits when it has one, whatever the types", () => {
    const listed = durableWaitsOf(['set'], typeOf);
    expect(ids(waitsFirst(ready('fetch', 'pause', 'set'), listed))).toEqual(['set', 'fetch', 'pause']);
  });
});
