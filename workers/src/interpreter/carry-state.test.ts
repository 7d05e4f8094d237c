import { indexGraph, WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import type { NodeState } from '@flowforge/connectors-sdk/contract';
import { describe, expect, it } from 'vitest';
import { carryState } from './carry-state.ts';

const out = (value: number): NodeState => ({
  status: 'succeeded',
  attempts: 1,
  output: { main: [{ json: { value } }] },
});

describe('carryState', () => {
  it('drops outputs nobody needs any more and keeps those still feeding, referenced or final', () => {
    const graph = indexGraph(
      WorkflowDefinitionSchema.parse({
        schemaVersion: 1,
        name: 'carry',
        nodes: [
          { id: 'a', type: 'core.noop' },
          { id: 'b', type: 'core.noop' },
          { id: 'c', type: 'core.noop' },
          { id: 'd', type: 'core.set', params: { values: { x: "={{ $('a').first().json.value }}" } } },
          { id: 'sink', type: 'core.noop' },
        ],
        edges: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'c' },
          { from: 'c', to: 'd' },
          { from: 'a', to: 'sink' },
        ],
      }),
    );
    const carried = carryState(graph, {
      a: out(1),
      b: out(2),
      c: out(3),
      d: { status: 'pending', attempts: 0 },
      sink: out(4),
    });
    expect(carried.nodes.a?.output).toBeDefined(); // d reads it with $('a')
    expect(carried.nodes.b?.output).toBeUndefined(); // c, its only consumer, is done
    expect(carried.nodes.b).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(carried.nodes.c?.output).toBeDefined(); // d still needs it
    expect(carried.nodes.sink?.output).toBeDefined(); // part of the run's result
  });
});
