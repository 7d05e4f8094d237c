import { describe, expect, it } from 'vitest';
import { backEdgesOf, findLoops } from './loops.ts';

const edge = (from: string, to: string, fromPort = 'main') => ({ from, fromPort, to, toPort: 'main' });

describe('findLoops', () => {
  const nodes = [
    { id: 'start', type: 'trigger.manual' },
    { id: 'loop', type: 'core.loop' },
    { id: 'work', type: 'core.noop' },
    { id: 'after', type: 'core.noop' },
  ];

  it("finds a loop's body from its loop port, not its done port, and the edges back into it", () => {
    const back = edge('work', 'loop');
    const edges = [edge('start', 'loop'), edge('loop', 'work', 'loop'), back, edge('loop', 'after', 'done')];
    const loop = findLoops(nodes, edges).get('loop');
    expect([...(loop?.body ?? [])]).toEqual(['work']);
    expect(loop?.backEdges).toEqual([back]);
    expect([...backEdgesOf(findLoops(nodes, edges))]).toEqual([back]);
  });

  it('counts an edge from the loop node to itself as no back edge (validation calls it a cycle)', () => {
    const loop = findLoops(nodes, [edge('start', 'loop'), edge('loop', 'loop', 'loop')]).get('loop');
    expect(loop?.body.size).toBe(0);
    expect(loop?.backEdges).toEqual([]);
  });

  it('finds nothing in a workflow without core.loop', () => {
    expect(findLoops(nodes.slice(0, 1), []).size).toBe(0);
  });
});
