import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { triggerManual } from './trigger-manual.ts';

describe('trigger.manual', () => {
  it('outputs an object run input as one item', async () => {
    const result = await runNodeForTest(triggerManual, { runInput: { name: 'Ada' } });
    expect(jsonOf(result)).toEqual([{ name: 'Ada' }]);
  });

  it('outputs an array run input as one item per element', async () => {
    const result = await runNodeForTest(triggerManual, { runInput: [{ n: 1 }, { n: 2 }] });
    expect(jsonOf(result)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('outputs one empty item when there is no run input', async () => {
    expect(jsonOf(await runNodeForTest(triggerManual))).toEqual([{}]);
    expect(jsonOf(await runNodeForTest(triggerManual, { runInput: null }))).toEqual([{}]);
  });
});
