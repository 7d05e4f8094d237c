import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreIf } from './core-if.ts';

describe('core.if', () => {
  it('splits items by the per-item condition into true and false', async () => {
    const result = await runNodeForTest(coreIf, {
      params: { condition: '={{ $json.total > 1000 }}' },
      items: [{ total: 5000 }, { total: 10 }, { total: 1001 }],
    });
    expect(jsonOf(result, 'true')).toEqual([{ total: 5000 }, { total: 1001 }]);
    expect(jsonOf(result, 'false')).toEqual([{ total: 10 }]);
  });

  it('returns both ports even when one gets no items', async () => {
    const result = await runNodeForTest(coreIf, { params: { condition: true }, items: [{ a: 1 }] });
    expect(result.outputs).toEqual({ true: [{ json: { a: 1 } }], false: [] });
  });

  it('uses truthiness for non-boolean literal conditions', async () => {
    const result = await runNodeForTest(coreIf, { params: { condition: 0 }, items: [{ a: 1 }] });
    expect(jsonOf(result, 'false')).toEqual([{ a: 1 }]);
  });

  it('requires a condition', async () => {
    await expect(runNodeForTest(coreIf, { params: {}, items: [{}] })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});
