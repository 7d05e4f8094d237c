import { indexGraph, WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import type { NodeState } from '@flowforge/connectors-sdk/contract';
import { portFired } from '@flowforge/connectors-sdk/contract';
import { describe, expect, it } from 'vitest';
import { edgeState, isSettled, nextStep } from './ready-nodes.ts';

const items = (...values: number[]) => values.map((value) => ({ json: { value } }));
const done = (output: NodeState['output']): NodeState => ({ status: 'succeeded', attempts: 1, output });
const pending: NodeState = { status: 'pending', attempts: 0 };

function graphOf(nodes: string[], edges: Array<{ from: string; to: string; fromPort?: string; toPort?: string }>) {
  return indexGraph(
    WorkflowDefinitionSchema.parse({
      schemaVersion: 1,
      name: 'g',
      nodes: nodes.map((id) => ({ id, type: 'core.noop' })),
      edges,
    }),
  );
}

describe('nextStep', () => {
  it('starts the nodes without incoming edges first, and nothing else', () => {
    const graph = graphOf(['a', 'b', 'c'], [{ from: 'a', to: 'c' }]);
    const step = nextStep(graph, { a: pending, b: pending, c: pending });
    expect(step).toEqual({
      run: [
        { id: 'a', inputs: {} },
        { id: 'b', inputs: {} },
      ],
      skip: [],
    });
  });

  it('waits until every incoming edge is resolved', () => {
    const graph = graphOf(
      ['a', 'b', 'm'],
      [
        { from: 'a', to: 'm' },
        { from: 'b', to: 'm' },
      ],
    );
    const running: NodeState = { status: 'running', attempts: 0 };
    expect(nextStep(graph, { a: done({ main: items(1) }), b: running, m: pending }).run).toEqual([]);
  });

  it('runs a node with its live inputs grouped by port, concatenating edges into one port', () => {
    const graph = graphOf(
      ['a', 'b', 'c', 'm'],
      [
        { from: 'a', to: 'm', toPort: 'in1' },
        { from: 'b', to: 'm', toPort: 'in1' },
        { from: 'c', to: 'm', toPort: 'in2' },
      ],
    );
    const step = nextStep(graph, {
      a: done({ main: items(1) }),
      b: done({ main: items(2) }),
      c: done({ main: [] }),
      m: pending,
    });
    expect(step.run).toEqual([{ id: 'm', inputs: { in1: [items(1), items(2)] } }]);
  });

  it('skips a node whose inputs are all dead, and everything downstream in the same step', () => {
    const graph = graphOf(
      ['if', 'yes', 'afterYes', 'no'],
      [
        { from: 'if', fromPort: 'true', to: 'yes' },
        { from: 'yes', to: 'afterYes' },
        { from: 'if', fromPort: 'false', to: 'no' },
      ],
    );
    const step = nextStep(graph, {
      if: done({ true: [], false: items(1) }),
      yes: pending,
      afterYes: pending,
      no: pending,
    });
    expect(step.skip).toEqual(['yes', 'afterYes']);
    expect(step.run.map((node) => node.id)).toEqual(['no']);
  });

  it('treats the output of a failed node like any other output (onError continue)', () => {
    const graph = graphOf(['a', 'b'], [{ from: 'a', to: 'b' }]);
    const failed: NodeState = { status: 'failed', attempts: 1, output: { main: items(0) } };
    expect(nextStep(graph, { a: failed, b: pending }).run).toEqual([{ id: 'b', inputs: { main: [items(0)] } }]);
  });

  it('counts a stored reference with items as a fired port and one with none as dead', () => {
    expect(portFired({ $artifact: 'r/n/main.json', bytes: 10, items: 3 })).toBe(true);
    expect(portFired({ $artifact: 'r/n/main.json', bytes: 2, items: 0 })).toBe(false);
    expect(portFired(undefined)).toBe(false);
    expect(portFired([])).toBe(false);
  });
});

describe('edgeState and isSettled', () => {
  const edge = { from: 'a', fromPort: 'main', to: 'b', toPort: 'main' };

  it('is unresolved while the source is pending, running or waiting, dead once skipped', () => {
    for (const status of ['pending', 'running', 'waiting'] as const) {
      expect(edgeState(edge, { status, attempts: 0 })).toBe('unresolved');
    }
    expect(edgeState(edge, { status: 'skipped', attempts: 0 })).toBe('dead');
    expect(edgeState(edge, done({ error: items(1) }))).toBe('dead');
  });

  it("reads a still-running node's port that already delivered items (a loop's batch) as live, its other ports as unresolved", () => {
    const iterating: NodeState = { status: 'running', attempts: 1, output: { loop: items(2) } };
    expect(edgeState({ ...edge, fromPort: 'loop' }, iterating)).toBe('live');
    expect(edgeState({ ...edge, fromPort: 'done' }, iterating)).toBe('unresolved');
  });

  it('calls a run settled only when no node can change any more', () => {
    expect(isSettled({ a: done({}), b: { status: 'skipped', attempts: 0 } })).toBe(true);
    expect(isSettled({ a: done({}), b: { status: 'waiting', attempts: 1 } })).toBe(false);
  });
});

describe('indexGraph', () => {
  it('orders nodes topologically, keeping file order between independent nodes', () => {
    const graph = graphOf(
      ['c', 'a', 'b'],
      [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ],
    );
    expect(graph.order).toEqual(['a', 'b', 'c']);
  });

  it('puts nodes on a cycle last, where they never become ready', () => {
    const graph = graphOf(
      ['t', 'x', 'y'],
      [
        { from: 'x', to: 'y' },
        { from: 'y', to: 'x' },
      ],
    );
    expect(graph.order).toEqual(['t', 'x', 'y']);
    expect(nextStep(graph, { t: done({ main: items(1) }), x: pending, y: pending }).run).toEqual([]);
  });
});
