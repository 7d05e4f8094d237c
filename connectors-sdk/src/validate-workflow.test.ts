import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinTypeRegistry } from './builtin/index.ts';
import { createRegistry, defineNodeType } from './define-node.ts';
import { validateWorkflow } from './validate-workflow.ts';

const start = { id: 'start', type: 'trigger.manual' };
const noop = (id: string) => ({ id, type: 'core.noop' });
const edge = (from: string, to: string) => ({ from, to });
const file = (nodes: unknown[], edges: unknown[] = []) => ({ schemaVersion: 1, name: 'check', nodes, edges });

function issuesOf(input: unknown) {
  const result = validateWorkflow(input, builtinTypeRegistry);
  return result.ok ? [] : result.issues;
}

describe('validateWorkflow reports every problem at once', () => {
  it('a cycle and an edge to a missing node, both', () => {
    const issues = issuesOf(
      file([start, noop('a'), noop('b')], [edge('start', 'a'), edge('a', 'b'), edge('b', 'a'), edge('a', 'ghost')]),
    );
    expect(issues.map((issue) => issue.code)).toEqual(['FF_EDGE_UNKNOWN_NODE', 'FF_CYCLE']);
    expect(issues[1]?.message).toContain('a → b → a');
  });

  it('bad parameters, a bad port and an unreachable node together', () => {
    const issues = issuesOf(
      file(
        [start, { id: 'limit', type: 'core.limit', params: { max: -1 } }, noop('alone')],
        [{ from: 'start', to: 'limit', toPort: 'in9' }],
      ),
    );
    expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['FF_INVALID_PARAMS', ['nodes', 1, 'params', 'max']],
      ['FF_EDGE_UNKNOWN_PORT', ['edges', 0, 'toPort']],
      ['FF_UNREACHABLE_NODE', ['nodes', 2]],
    ]);
  });

  it('a mistyped trigger is one problem, not one per node after it', () => {
    const issues = issuesOf(file([{ id: 'start', type: 'trigger.manuall' }, noop('a')], [edge('start', 'a')]));
    expect(issues.map((issue) => issue.code)).toEqual(['FF_UNKNOWN_NODE_TYPE']);
  });

  it('finds triggers by their capability, not by name', () => {
    expect(issuesOf(file([noop('only')])).map((issue) => issue.code)).toEqual(['FF_NO_TRIGGER']);
    expect(issuesOf(file([{ id: 'on-error', type: 'trigger.error' }]))).toEqual([]);
  });
});

describe('validateWorkflow checks expressions', () => {
  it('refuses a template that does not parse, naming the node, the parameter and the expression', () => {
    const issues = issuesOf(
      file(
        [start, { id: 'greet', type: 'core.set', params: { values: { sum: '={{ $json.a + }}' } } }],
        [edge('start', 'greet')],
      ),
    );
    expect(issues).toEqual([
      {
        code: 'FF_EXPRESSION',
        path: ['nodes', 1, 'params', 'values', 'sum'],
        message: expect.stringMatching(
          /^node "greet", parameter values\.sum: syntax error .* in "=\{\{ \$json\.a \+ \}\}"$/,
        ),
      },
    ]);
  });

  it('leaves literal params alone: a Code node may contain anything, an executeWorkflow target no expression', () => {
    const code = { id: 'code', type: 'core.code', params: { code: 'return { x: "={{ ( }}" };' } };
    expect(issuesOf(file([start, code], [edge('start', 'code')]))).toEqual([]);
    const child = { id: 'child', type: 'core.executeWorkflow', params: { workflow: '={{ $json.name }}' } };
    expect(issuesOf(file([start, child], [edge('start', 'child')]))).toMatchObject([
      { code: 'FF_INVALID_PARAMS', path: ['nodes', 1, 'params', 'workflow'] },
    ]);
  });
});

describe('validateWorkflow refuses names and edges that would misbehave', () => {
  it('refuses node ids every JavaScript object already has', () => {
    for (const id of ['__proto__', 'constructor', 'toString', 'prototype']) {
      const issues = issuesOf(file([start, noop(id)], [edge('start', id)]));
      expect(issues).toMatchObject([{ code: 'FF_VALIDATION', path: ['nodes', 1, 'id'] }]);
      expect(issues[0]?.message).toContain('reserved');
    }
  });

  it('refuses an edge that repeats another (its items would arrive twice)', () => {
    const issues = issuesOf(file([start, noop('a')], [edge('start', 'a'), edge('start', 'a'), edge('start', 'a')]));
    expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['FF_DUPLICATE_EDGE', ['edges', 1]],
      ['FF_DUPLICATE_EDGE', ['edges', 2]],
    ]);
    expect(issues[0]?.message).toContain('repeats edge 0 (start.main → a.main)');
  });
});

describe('validateWorkflow states its limits', () => {
  const wide = (width: number, id = (index: number) => `n${index}`) =>
    file(
      [start, ...Array.from({ length: width }, (_, index) => noop(id(index)))],
      Array.from({ length: width }, (_, index) => edge('start', id(index))),
    );

  it('takes a 5,000-node fan-out and refuses one node more, saying what to do', () => {
    expect(issuesOf(wide(4_999))).toEqual([]);
    expect(issuesOf(wide(5_000))).toMatchObject([
      { code: 'FF_VALIDATION', path: ['nodes'], message: expect.stringContaining('5001 nodes; at most 5000') },
    ]);
  });

  it('refuses a definition over 1 MiB of JSON', () => {
    const issues = issuesOf(wide(4_000, (index) => `node_${'x'.repeat(90)}_${index}`));
    expect(issues).toMatchObject([
      { code: 'FF_VALIDATION', message: expect.stringMatching(/KiB of JSON; at most 1024 KiB/) },
    ]);
  });
});

describe('validateWorkflow for a registry of worker types', () => {
  it('lets the caller say why a type is unknown', () => {
    const result = validateWorkflow(
      file([start, { id: 'hi', type: 'acme.greet' }], [edge('start', 'hi')]),
      builtinTypeRegistry,
      { unknownTypeMessage: (type, known) => `no worker offers "${type}" (${known.length} known)` },
    );
    expect(result.ok ? [] : result.issues).toEqual([
      {
        code: 'FF_UNKNOWN_NODE_TYPE',
        message: `no worker offers "acme.greet" (${builtinTypeRegistry.size} known)`,
        path: ['nodes', 1, 'type'],
      },
    ]);
  });

  it('accepts an edge from an output port that matches extraOutputs, and no other', () => {
    const router = defineNodeType({
      type: 'acme.route',
      version: 1,
      displayName: 'Route',
      description: 'Routes.',
      params: z.object({}),
      inputs: ['main'],
      outputs: ['main'],
      extraOutputs: /^to_[a-z]+$/,
      defaultTimeout: '30s',
    });
    const registry = createRegistry([...builtinTypeRegistry.values(), router]);
    const check = (fromPort: string) =>
      validateWorkflow(
        file(
          [start, { id: 'r', type: 'acme.route' }, noop('n')],
          [edge('start', 'r'), { from: 'r', fromPort, to: 'n' }],
        ),
        registry,
      ).ok;
    expect(check('to_sales')).toBe(true);
    expect(check('main')).toBe(true);
    expect(check('elsewhere')).toBe(false);
  });
});
