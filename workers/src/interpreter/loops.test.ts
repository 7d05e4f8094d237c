import { indexGraph, indexLoopGraph, WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import type { LoopCursor, NodeState } from '@flowforge/connectors-sdk/contract';
import { describe, expect, it } from 'vitest';
import {
  batchAt,
  bodySettled,
  carryLoopState,
  indexLoops,
  iterationResults,
  loopStep,
  pageOf,
  progressOf,
  resetBody,
  unreusableLoopNodes,
} from './loops.ts';

const items = (...values: number[]) => values.map((n) => ({ json: { n } }));
const pending: NodeState = { status: 'pending', attempts: 0 };
const skipped: NodeState = { status: 'skipped', attempts: 0 };
const done = (output: NodeState['output']): NodeState => ({ status: 'succeeded', attempts: 1, output });
const iterating = (batch: number[]): NodeState => ({
  status: 'running',
  attempts: 1,
  output: { loop: items(...batch) },
});

/** start → src → loop; loop.loop → a → b → loop; a → (if false) c → loop; loop.done → after. */
const dag = WorkflowDefinitionSchema.parse({
  schemaVersion: 1,
  name: 'loops',
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    { id: 'src', type: 'core.noop' },
    { id: 'loop', type: 'core.loop' },
    { id: 'a', type: 'core.if' },
    { id: 'b', type: 'core.set' },
    { id: 'c', type: 'core.set' },
    { id: 'after', type: 'core.noop' },
  ],
  edges: [
    { from: 'start', to: 'src' },
    { from: 'b', to: 'loop' },
    { from: 'src', to: 'loop' },
    { from: 'loop', fromPort: 'loop', to: 'a' },
    { from: 'a', fromPort: 'true', to: 'b' },
    { from: 'a', fromPort: 'false', to: 'c' },
    { from: 'c', to: 'loop' },
    { from: 'loop', fromPort: 'done', to: 'after' },
  ],
});
const graph = indexLoopGraph(dag);
const index = indexLoops(dag);
const loop = index.loops.get('loop');
if (!loop) throw new Error('the loop was not found');

describe('indexLoops', () => {
  it('finds the body (reachable from the loop port, not through the loop) and its back edges', () => {
    expect([...loop.body].sort()).toEqual(['a', 'b', 'c']);
    expect(loop.backEdges.map((edge) => edge.from)).toEqual(['b', 'c']);
    expect(index.innermost.get('b')).toBe('loop');
    expect(index.innermost.has('after')).toBe(false);
  });

  it('knows a nested loop body by its innermost loop', () => {
    const nested = WorkflowDefinitionSchema.parse({
      schemaVersion: 1,
      name: 'nested',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'outer', type: 'core.loop' },
        { id: 'inner', type: 'core.loop' },
        { id: 'work', type: 'core.noop' },
        { id: 'sum', type: 'core.noop' },
      ],
      edges: [
        { from: 'start', to: 'outer' },
        { from: 'outer', fromPort: 'loop', to: 'inner' },
        { from: 'inner', fromPort: 'loop', to: 'work' },
        { from: 'work', to: 'inner' },
        { from: 'inner', fromPort: 'done', to: 'sum' },
        { from: 'sum', to: 'outer' },
      ],
    });
    const loops = indexLoops(nested);
    expect([...(loops.loops.get('outer')?.body ?? [])].sort()).toEqual(['inner', 'sum', 'work']);
    expect([...(loops.loops.get('inner')?.body ?? [])]).toEqual(['work']);
    expect(loops.innermost.get('work')).toBe('inner');
    expect(loops.innermost.get('sum')).toBe('outer');
    expect(loops.innermost.get('inner')).toBe('outer');
  });
});

describe('indexLoopGraph', () => {
  it('is indexGraph for a DAG without loops', () => {
    const plain = WorkflowDefinitionSchema.parse({
      schemaVersion: 1,
      name: 'plain',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'x', type: 'core.noop' },
      ],
      edges: [{ from: 'start', to: 'x' }],
    });
    expect(indexLoopGraph(plain)).toEqual(indexGraph(plain));
  });

  it('leaves back edges out of incoming and the order, but not out of outgoing', () => {
    expect(graph.incoming.get('loop')?.map((edge) => edge.from)).toEqual(['src']);
    expect(graph.order).toEqual(['start', 'src', 'loop', 'a', 'after', 'b', 'c']);
    expect(graph.outgoing.get('b')?.map((edge) => edge.to)).toEqual(['loop']);
  });
});

describe('loopStep', () => {
  it('starts the loop node once its forward inputs are resolved, not waiting for its back edges', () => {
    const nodes = {
      start: done({}),
      src: done({ main: items(1, 2, 3) }),
      loop: pending,
      a: pending,
      b: pending,
      c: pending,
      after: pending,
    };
    expect(loopStep(graph, index, nodes)).toEqual({
      run: [{ id: 'loop', inputs: { main: [items(1, 2, 3)] } }],
      skip: [],
    });
  });

  it('runs the body on the batch while the nodes after done keep waiting', () => {
    const nodes = {
      start: done({}),
      src: done({}),
      loop: iterating([1, 2]),
      a: pending,
      b: pending,
      c: pending,
      after: pending,
    };
    expect(loopStep(graph, index, nodes)).toEqual({ run: [{ id: 'a', inputs: { main: [items(1, 2)] } }], skip: [] });
  });

  it('runs the loop node again once its body has settled, counting the skips of the same step', () => {
    const nodes = {
      start: done({}),
      src: done({}),
      loop: iterating([1, 2]),
      a: done({ true: items(1, 2), false: [] }),
      b: done({ main: items(1, 2) }),
      c: pending,
      after: pending,
    };
    expect(loopStep(graph, index, nodes)).toEqual({ run: [{ id: 'loop', inputs: {} }], skip: ['c'] });
    expect(bodySettled(loop, { ...nodes, loop: { status: 'running', attempts: 1 }, c: skipped })).toBe(false);
  });

  it('skips the nodes after done when the loop emitted nothing there, and the body once the loop is done', () => {
    const nodes = {
      start: done({}),
      src: done({}),
      loop: done({ done: [] }),
      a: pending,
      b: pending,
      c: pending,
      after: pending,
    };
    expect(loopStep(graph, index, nodes).skip).toEqual(['a', 'after', 'b', 'c']);
  });
});

describe('an iteration', () => {
  it('collects what each back edge carried, in edge order, and resets the body', () => {
    const nodes = { a: done({}), b: done({ main: items(2) }), c: done({ main: items(1) }) };
    expect(iterationResults(loop, nodes)).toEqual([items(2), items(1)]);
    expect(iterationResults(loop, { b: skipped, c: done({ main: [] }) })).toEqual([]);
    expect(resetBody(loop)).toEqual({ a: pending, b: pending, c: pending });
  });

  it('slices batches out of the page in hand and reports progress', () => {
    const cursor: LoopCursor = {
      batchSize: 2,
      total: 7,
      batches: 4,
      next: 0,
      pages: { prefix: 'r/loop/x', count: 2, batchesPerPage: 2 },
      page: { index: 1, items: items(5, 6, 7) },
      collected: [],
    };
    expect(pageOf(cursor, 1)).toBe(0);
    expect(pageOf(cursor, 3)).toBe(1);
    expect(batchAt(cursor, 2)).toEqual(items(5, 6));
    expect(batchAt(cursor, 3)).toEqual(items(7));
    expect(() => batchAt(cursor, 0)).toThrow(/not on the page/);
    const stored = { $artifact: 'r/loop/x/page-1.json', bytes: 10, items: 3 };
    expect(batchAt({ ...cursor, page: { index: 1, items: stored } }, 2)).toBe(stored);
    expect(progressOf(cursor, 2, false)).toEqual({ iteration: 3, batches: 4, processed: 4, total: 7 });
    expect(progressOf(cursor, 4, true)).toEqual({ iteration: 4, batches: 4, processed: 7, total: 7 });
  });
});

describe('carryLoopState', () => {
  const nodes = {
    start: done({}),
    src: done({ main: items(1, 2, 3) }),
    loop: iterating([1]),
    a: done({ true: items(1) }),
    b: done({ main: items(1) }),
    c: skipped,
    after: pending,
  };

  it("drops a started loop's source items and keeps the results its back edges still carry", () => {
    const carried = carryLoopState(graph, index, nodes, () => true);
    expect(carried.nodes.src?.output).toBeUndefined();
    expect(carried.nodes.b?.output).toEqual({ main: items(1) });
    expect(carried.nodes.loop?.output).toEqual({ loop: items(1) });
  });

  it("keeps an iterating loop's batch even when no node follows its done port", () => {
    const withoutAfter = WorkflowDefinitionSchema.parse({
      ...dag,
      nodes: dag.nodes.filter((node) => node.id !== 'after'),
      edges: dag.edges.filter((edge) => edge.to !== 'after'),
    });
    const { after: _after, ...rest } = nodes;
    const carried = carryLoopState(indexLoopGraph(withoutAfter), indexLoops(withoutAfter), rest, () => true);
    expect(carried.nodes.loop?.output).toEqual({ loop: items(1) });
  });

  it('keeps the source of a loop that has not started', () => {
    expect(carryLoopState(graph, index, nodes, () => false).nodes.src?.output).toEqual({ main: items(1, 2, 3) });
  });
});

describe('unreusableLoopNodes', () => {
  it('reruns a loop that did not emit done, and its body; reuses a finished one', () => {
    expect([...unreusableLoopNodes(dag, { src: {}, a: {}, b: {} })].sort()).toEqual(['a', 'b', 'c', 'loop']);
    expect(unreusableLoopNodes(dag, { src: {}, loop: { done: [] }, a: {}, b: {} }).size).toBe(0);
  });
});
