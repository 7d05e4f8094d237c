import { describe, expect, it } from 'vitest';
import { WorkflowDefinitionSchema } from './workflow-definition.ts';
import { changedPaths, diffWorkflows, formatEdge, isEmptyDiff } from './workflow-diff.ts';

const parse = (input: unknown) => WorkflowDefinitionSchema.parse(input);

const v1 = parse({
  schemaVersion: 1,
  name: 'orders',
  settings: { timeout: '7d' },
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    { id: 'total', type: 'core.set', params: { values: { total: '={{ $json.a }}', currency: 'EUR' } } },
    { id: 'big', type: 'core.if', params: { condition: '={{ $json.total > 10 }}' } },
    { id: 'old', type: 'core.noop' },
  ],
  edges: [
    { from: 'start', to: 'total' },
    { from: 'total', to: 'big' },
    { from: 'big', fromPort: 'false', to: 'old' },
  ],
});

describe('diffWorkflows', () => {
  it('names added, removed and changed nodes (with their paths), added and removed edges, changed settings', () => {
    const v2 = parse({
      ...v1,
      settings: { timeout: '1d', errorWorkflow: 'notify' },
      nodes: [
        v1.nodes[0],
        { id: 'total', type: 'core.set', params: { values: { total: '={{ $json.b }}' } }, onError: 'continue' },
        v1.nodes[2],
        { id: 'notify', type: 'core.noop' },
      ],
      edges: [v1.edges[0], v1.edges[1], { from: 'big', fromPort: 'true', to: 'notify' }],
    });
    expect(diffWorkflows(v1, v2)).toEqual({
      nodes: {
        added: ['notify'],
        removed: ['old'],
        changed: [{ id: 'total', paths: ['onError', 'params.values.currency', 'params.values.total'] }],
      },
      edges: {
        added: [{ from: 'big', fromPort: 'true', to: 'notify', toPort: 'main' }],
        removed: [{ from: 'big', fromPort: 'false', to: 'old', toPort: 'main' }],
      },
      settings: { changed: ['errorWorkflow', 'timeout'] },
    });
  });

  it('is empty between a definition and itself, and the reverse diff swaps added and removed', () => {
    expect(isEmptyDiff(diffWorkflows(v1, v1))).toBe(true);
    const v2 = parse({ ...v1, nodes: [...v1.nodes, { id: 'extra', type: 'core.noop' }] });
    expect(diffWorkflows(v2, v1).nodes).toEqual({ added: [], removed: ['extra'], changed: [] });
    expect(isEmptyDiff(diffWorkflows(v2, v1))).toBe(false);
  });

  it('a node whose type changed lists type; one that moved on the canvas lists its position', () => {
    const v2 = parse({
      ...v1,
      nodes: v1.nodes.map((node) =>
        node.id === 'old'
          ? { ...node, type: 'core.merge' }
          : node.id === 'big'
            ? { ...node, position: { x: 1, y: 2 } }
            : node,
      ),
    });
    expect(diffWorkflows(v1, v2).nodes.changed).toEqual([
      { id: 'big', paths: ['position'] },
      { id: 'old', paths: ['type'] },
    ]);
  });
});

describe('changedPaths (deep over objects and arrays)', () => {
  it('goes into arrays by index and reports added or removed elements by their index', () => {
    expect(changedPaths({ roles: ['a', 'b'] }, { roles: ['a', 'c', 'd'] }, [])).toEqual(['roles[1]', 'roles[2]']);
    expect(changedPaths({ rows: [{ x: 1 }, { x: 2 }] }, { rows: [{ x: 1 }, { x: 3 }] }, ['params'])).toEqual([
      'params.rows[1].x',
    ]);
    expect(changedPaths([1, 2, 3], [1], [])).toEqual(['[1]', '[2]']);
  });

  it('reports a value whose kind changed as one path, not its leaves', () => {
    expect(changedPaths({ v: { a: 1, b: 2 } }, { v: 'text' }, [])).toEqual(['v']);
    expect(changedPaths({ v: [1] }, { v: { 0: 1 } }, [])).toEqual(['v']);
    expect(changedPaths({ v: null }, { v: {} }, [])).toEqual(['v']);
  });

  it('finds nothing between equal values, whatever their key order', () => {
    expect(changedPaths({ a: 1, b: { c: [1, { d: true }] } }, { b: { c: [1, { d: true }] }, a: 1 }, [])).toEqual([]);
  });

  it('sees a key that is added or removed, and a number that became the same digits as a string', () => {
    expect(changedPaths({ a: 1 }, { a: 1, b: 2 }, ['settings'])).toEqual(['settings.b']);
    expect(changedPaths({ a: 1, b: 2 }, { b: 2 }, [])).toEqual(['a']);
    expect(changedPaths({ a: 1 }, { a: '1' }, [])).toEqual(['a']);
  });
});

describe('formatEdge', () => {
  it('writes from:port->to:port', () => {
    expect(formatEdge({ from: 'big', fromPort: 'true', to: 'approve', toPort: 'main' })).toBe('big:true->approve:main');
  });
});
