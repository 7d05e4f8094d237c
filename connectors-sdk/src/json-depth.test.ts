import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, MAX_JSON_DEPTH, shortPath } from './json-depth.ts';

/** `{ a: { a: … 1 } }`, `depth` objects deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('jsonShapeProblem', () => {
  it('accepts a value nested exactly MAX_JSON_DEPTH deep and names the first level past it', () => {
    expect(jsonShapeProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    const problem = jsonShapeProblem(nested(MAX_JSON_DEPTH + 1));
    expect(problem?.kind).toBe('too-deep');
    expect(problem?.path).toEqual(Array.from({ length: MAX_JSON_DEPTH }, () => 'a'));
  });

  it('walks a value nested 200,000 deep without touching the call stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(jsonShapeProblem(deep)?.path).toHaveLength(MAX_JSON_DEPTH);
  });

  it('counts arrays and objects alike and reports the first problem in document order', () => {
    const value = { ok: [[1]], bad: [{ deeper: [[]] }], worse: [[[[[]]]]] };
    expect(jsonShapeProblem(value, { maxDepth: 4 })).toEqual({ kind: 'too-deep', path: ['bad', 0, 'deeper', 0] });
    expect(jsonShapeProblem(value, { maxDepth: 6 })).toBeUndefined();
    expect(jsonShapeProblem('text')).toBeUndefined();
  });

  it('reports __proto__ and constructor.prototype keys only when asked', () => {
    const proto = JSON.parse('{"list": [{"__proto__": {"admin": true}}]}');
    expect(jsonShapeProblem(proto)).toBeUndefined();
    expect(jsonShapeProblem(proto, { prototypeKeys: true })).toEqual({
      kind: 'prototype-key',
      path: ['list', 0, '__proto__'],
    });
    const viaConstructor = { x: { constructor: { prototype: { admin: true } } } };
    expect(jsonShapeProblem(viaConstructor, { prototypeKeys: true })?.path).toEqual(['x', 'constructor', 'prototype']);
    expect(jsonShapeProblem({ constructor: 'a name', prototype: 1 }, { prototypeKeys: true })).toBeUndefined();
  });
});

describe('shortPath', () => {
  it('prints short paths whole and long ones with their middle left out', () => {
    expect(shortPath(['nodes', 2, 'params'])).toBe('nodes[2].params');
    expect(shortPath([])).toBe('(the value itself)');
    expect(shortPath(['input', ...Array.from({ length: 64 }, () => 'a')])).toBe('input.a.a.a … a.a.a.a (65 keys)');
  });
});
