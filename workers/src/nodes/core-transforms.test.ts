// The small list transforms: filter, sort, limit, aggregate, splitOut, removeDuplicates, noop.
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreAggregate } from './core-aggregate.ts';
import { coreFilter } from './core-filter.ts';
import { coreLimit } from './core-limit.ts';
import { coreNoop } from './core-noop.ts';
import { coreRemoveDuplicates } from './core-remove-duplicates.ts';
import { coreSort } from './core-sort.ts';
import { coreSplitOut } from './core-split-out.ts';

describe('core.filter', () => {
  it('keeps the items whose condition is truthy', async () => {
    const result = await runNodeForTest(coreFilter, {
      params: { condition: "={{ $json.status === 'paid' }}" },
      items: [
        { id: 1, status: 'paid' },
        { id: 2, status: 'open' },
        { id: 3, status: 'paid' },
      ],
    });
    expect(jsonOf(result)).toEqual([
      { id: 1, status: 'paid' },
      { id: 3, status: 'paid' },
    ]);
  });
});

describe('core.sort', () => {
  it('sorts numbers numerically, strings by locale, missing values last, keeping ties in order', async () => {
    const items = [{ n: 10, t: 'b' }, { t: 'z' }, { n: 9, t: 'a' }, { n: 10, t: 'a' }, { n: 100 }];
    const asc = await runNodeForTest(coreSort, { params: { by: [{ field: 'n' }] }, items });
    expect(jsonOf(asc)).toEqual([{ n: 9, t: 'a' }, { n: 10, t: 'b' }, { n: 10, t: 'a' }, { n: 100 }, { t: 'z' }]);
    const desc = await runNodeForTest(coreSort, { params: { by: [{ field: 'n', order: 'desc' }] }, items });
    expect(jsonOf(desc).map((json) => json.n)).toEqual([100, 10, 10, 9, undefined]);
  });

  it('breaks ties with the next sort key', async () => {
    const result = await runNodeForTest(coreSort, {
      params: { by: [{ field: 'group' }, { field: 'name', order: 'desc' }] },
      items: [
        { group: 'b', name: 'x' },
        { group: 'a', name: 'x' },
        { group: 'a', name: 'y' },
      ],
    });
    expect(jsonOf(result)).toEqual([
      { group: 'a', name: 'y' },
      { group: 'a', name: 'x' },
      { group: 'b', name: 'x' },
    ]);
  });
});

describe('core.limit', () => {
  const items = [{ i: 1 }, { i: 2 }, { i: 3 }];

  it('keeps the first items by default and the last ones from the end', async () => {
    expect(jsonOf(await runNodeForTest(coreLimit, { params: { max: 2 }, items }))).toEqual([{ i: 1 }, { i: 2 }]);
    expect(jsonOf(await runNodeForTest(coreLimit, { params: { max: 2, from: 'end' }, items }))).toEqual([
      { i: 2 },
      { i: 3 },
    ]);
    expect(jsonOf(await runNodeForTest(coreLimit, { params: { max: 0, from: 'end' }, items }))).toEqual([]);
  });

  it('rejects a negative or fractional max', async () => {
    await expect(runNodeForTest(coreLimit, { params: { max: -1 }, items })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
    await expect(runNodeForTest(coreLimit, { params: { max: 1.5 }, items })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});

describe('core.aggregate', () => {
  it('collects the values of a field into one item, skipping items without it', async () => {
    const result = await runNodeForTest(coreAggregate, {
      params: { field: 'order.id', into: 'ids' },
      items: [{ order: { id: 1 } }, {}, { order: { id: 3 } }],
    });
    expect(jsonOf(result)).toEqual([{ ids: [1, 3] }]);
  });

  it('collects whole items without a field', async () => {
    const result = await runNodeForTest(coreAggregate, { params: { into: 'all' }, items: [{ a: 1 }, { b: 2 }] });
    expect(jsonOf(result)).toEqual([{ all: [{ a: 1 }, { b: 2 }] }]);
  });
});

describe('core.splitOut', () => {
  it('turns object elements into items', async () => {
    const result = await runNodeForTest(coreSplitOut, {
      params: { field: 'orders' },
      items: [{ orders: [{ id: 1 }, { id: 2 }] }, { orders: [{ id: 3 }] }],
    });
    expect(jsonOf(result)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('puts primitive elements under the last path segment, or under into', async () => {
    const items = [{ data: { tags: ['a', 'b'] } }];
    expect(jsonOf(await runNodeForTest(coreSplitOut, { params: { field: 'data.tags' }, items }))).toEqual([
      { tags: 'a' },
      { tags: 'b' },
    ]);
    const into = await runNodeForTest(coreSplitOut, {
      params: { field: 'list', into: 'entry' },
      items: [{ list: [{ id: 1 }, 2] }],
    });
    expect(jsonOf(into)).toEqual([{ entry: { id: 1 } }, { entry: 2 }]);
  });

  it('fails with the item index when the field is not an array', async () => {
    const attempt = runNodeForTest(coreSplitOut, {
      params: { field: 'orders' },
      items: [{ orders: [] }, { orders: 'nope' }],
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
      message: expect.stringContaining('item 1'),
      details: { itemIndex: 1 },
    });
  });
});

describe('core.removeDuplicates', () => {
  it('keeps the first item for each value of the listed fields', async () => {
    const result = await runNodeForTest(coreRemoveDuplicates, {
      params: { fields: ['id'] },
      items: [
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
        { id: 1, v: 'c' },
      ],
    });
    expect(jsonOf(result)).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
  });

  it('compares whole items regardless of key order when no field is listed', async () => {
    const result = await runNodeForTest(coreRemoveDuplicates, {
      items: [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
        { a: 1, b: '2' },
      ],
    });
    expect(jsonOf(result)).toEqual([
      { a: 1, b: 2 },
      { a: 1, b: '2' },
    ]);
  });
});

describe('core.noop', () => {
  it('passes items through unchanged, binary included', async () => {
    const items = [{ json: { a: 1 }, binary: { f: { data: 'eA==', mimeType: 'text/plain' } } }, { json: { b: 2 } }];
    const result = await runNodeForTest(coreNoop, { items });
    expect(result.outputs.main).toEqual(items);
  });
});
