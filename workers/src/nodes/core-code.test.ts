import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreCode } from './core-code.ts';

const items = [
  { sku: 'a', qty: 2, price: 3 },
  { sku: 'b', qty: 1, price: 10 },
];

describe('core.code', () => {
  it('runs once over all items and turns the returned array into items', async () => {
    const result = await runNodeForTest(coreCode, {
      params: { code: 'return items.map((item) => ({ sku: item.json.sku, total: item.json.qty * item.json.price }));' },
      items,
    });
    expect(jsonOf(result)).toEqual([
      { sku: 'a', total: 6 },
      { sku: 'b', total: 10 },
    ]);
  });

  it('accepts a single returned object as one item', async () => {
    const result = await runNodeForTest(coreCode, { params: { code: 'return { count: items.length };' }, items });
    expect(jsonOf(result)).toEqual([{ count: 2 }]);
  });

  it('runs once per item in eachItem mode', async () => {
    const result = await runNodeForTest(coreCode, {
      params: { mode: 'eachItem', code: 'return { score: $json.sku.length * 10 };' },
      items,
    });
    expect(jsonOf(result)).toEqual([{ score: 10 }, { score: 10 }]);
  });

  it('fails with FF_SANDBOX when the code returns something that is not an object', async () => {
    await expect(runNodeForTest(coreCode, { params: { code: 'return 42;' }, items })).rejects.toMatchObject({
      code: 'FF_SANDBOX',
      message: expect.stringContaining('not an object'),
    });
    await expect(runNodeForTest(coreCode, { params: { code: 'return [1, 2];' }, items })).rejects.toMatchObject({
      code: 'FF_SANDBOX',
      message: expect.stringContaining('element 0'),
    });
  });

  it('fails with FF_SANDBOX when the code returns nothing, or an item in eachItem mode is not an object', async () => {
    await expect(runNodeForTest(coreCode, { params: { code: 'items.length;' }, items })).rejects.toMatchObject({
      code: 'FF_SANDBOX',
      message: expect.stringContaining('nothing'),
    });
    await expect(
      runNodeForTest(coreCode, { params: { mode: 'eachItem', code: "return $json.sku === 'b' ? 'x' : {};" }, items }),
    ).rejects.toMatchObject({ code: 'FF_SANDBOX', message: expect.stringContaining('item 1') });
  });

  it('returns no items for an empty array', async () => {
    const result = await runNodeForTest(coreCode, { params: { code: 'return [];' }, items });
    expect(result.outputs).toEqual({ main: [] });
  });
});
