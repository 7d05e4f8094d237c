import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreMerge } from './core-merge.ts';

const customers = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Linus' },
];
const orders = [
  { id: 2, total: 20, name: 'from-order' },
  { id: 3, total: 30 },
  { id: 2, total: 21 },
];

describe('core.merge', () => {
  it('appends inputs in port-number order, in10 after in9, by default', async () => {
    const inputs = { in10: [{ p: 10 }], in2: [{ p: 2 }], in1: [{ p: 1 }, { p: 1.5 }], in9: [{ p: 9 }] };
    const result = await runNodeForTest(coreMerge, { inputs });
    expect(jsonOf(result)).toEqual([{ p: 1 }, { p: 1.5 }, { p: 2 }, { p: 9 }, { p: 10 }]);
  });

  it('appends only the inputs that are present', async () => {
    const result = await runNodeForTest(coreMerge, { params: { mode: 'append' }, inputs: { in2: [{ p: 2 }] } });
    expect(jsonOf(result)).toEqual([{ p: 2 }]);
  });

  it('combines by key with an inner join, in2 fields winning, one item per match', async () => {
    const result = await runNodeForTest(coreMerge, {
      params: { mode: 'combineByKey', key: 'id' },
      inputs: { in1: customers, in2: orders },
    });
    expect(jsonOf(result)).toEqual([
      { id: 2, name: 'from-order', total: 20 },
      { id: 2, name: 'Linus', total: 21 },
    ]);
  });

  it('keeps unmatched in1 items with a left join and all unmatched items with an outer join', async () => {
    const left = await runNodeForTest(coreMerge, {
      params: { mode: 'combineByKey', key: 'id', join: 'left' },
      inputs: { in1: customers, in2: orders },
    });
    expect(jsonOf(left).map((json) => json.id)).toEqual([1, 2, 2]);
    const outer = await runNodeForTest(coreMerge, {
      params: { mode: 'combineByKey', key: 'id', join: 'outer' },
      inputs: { in1: customers, in2: orders },
    });
    expect(jsonOf(outer).map((json) => json.id)).toEqual([1, 2, 2, 3]);
  });

  it('matches on nested keys by value, not by key order or type', async () => {
    const result = await runNodeForTest(coreMerge, {
      params: { mode: 'combineByKey', key: 'ref.k' },
      inputs: {
        in1: [{ ref: { k: { a: 1, b: 2 } }, x: 1 }, { ref: { k: '1' } }],
        in2: [{ ref: { k: { b: 2, a: 1 } }, y: 2 }, { ref: { k: 1 } }],
      },
    });
    expect(jsonOf(result)).toEqual([{ ref: { k: { b: 2, a: 1 } }, x: 1, y: 2 }]);
  });

  it('requires a key for combineByKey', async () => {
    await expect(
      runNodeForTest(coreMerge, { params: { mode: 'combineByKey' }, inputs: { in1: [], in2: [] } }),
    ).rejects.toMatchObject({ code: 'FF_INVALID_PARAMS', message: expect.stringContaining('key') });
  });

  it('combines by position across every input, with the join deciding the length', async () => {
    const inputs = { in1: [{ a: 1 }, { a: 2 }], in2: [{ b: 1 }, { b: 2 }, { b: 3 }], in3: [{ c: 1 }, { c: 2 }] };
    const inner = await runNodeForTest(coreMerge, { params: { mode: 'combineByPosition' }, inputs });
    expect(jsonOf(inner)).toEqual([
      { a: 1, b: 1, c: 1 },
      { a: 2, b: 2, c: 2 },
    ]);
    const outer = await runNodeForTest(coreMerge, { params: { mode: 'combineByPosition', join: 'outer' }, inputs });
    expect(jsonOf(outer)).toEqual([{ a: 1, b: 1, c: 1 }, { a: 2, b: 2, c: 2 }, { b: 3 }]);
    const left = await runNodeForTest(coreMerge, {
      params: { mode: 'combineByPosition', join: 'left' },
      inputs: { in1: [{ a: 1 }], in2: [] },
    });
    expect(jsonOf(left)).toEqual([{ a: 1 }]);
  });

  it('chooses the named branch, or the first input that has items', async () => {
    const inputs = { in1: [], in2: [{ b: 1 }], in3: [{ c: 1 }] };
    const named = await runNodeForTest(coreMerge, { params: { mode: 'chooseBranch', branch: 'in3' }, inputs });
    expect(jsonOf(named)).toEqual([{ c: 1 }]);
    const first = await runNodeForTest(coreMerge, { params: { mode: 'chooseBranch' }, inputs });
    expect(jsonOf(first)).toEqual([{ b: 1 }]);
  });

  it('accepts in3 and beyond as extra inputs but not other names', () => {
    expect(coreMerge.extraInputs?.test('in3')).toBe(true);
    expect(coreMerge.extraInputs?.test('in42')).toBe(true);
    expect(coreMerge.extraInputs?.test('in1')).toBe(false);
    expect(coreMerge.extraInputs?.test('in0')).toBe(false);
    expect(coreMerge.extraInputs?.test('main')).toBe(false);
  });
});
