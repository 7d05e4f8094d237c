import { resolvePorts } from '@flowforge/connectors-sdk';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreSwitch } from './core-switch.ts';

const rules = [
  { port: 'big', condition: '={{ $json.n >= 100 }}' },
  { port: 'even', condition: '={{ $json.n % 2 === 0 }}' },
];
const items = [{ n: 200 }, { n: 4 }, { n: 3 }];

describe('core.switch', () => {
  it('derives its output ports from the rules and fallback, each once', () => {
    const ports = resolvePorts(coreSwitch.outputs, {
      rules: [...rules, { port: 'big', condition: true }],
      fallbackPort: 'other',
    });
    expect(ports).toEqual(['big', 'even', 'other']);
    expect(resolvePorts(coreSwitch.outputs, {})).toEqual([]);
  });

  it('sends an item to the first matching rule in first mode and unmatched items to the fallback', async () => {
    const result = await runNodeForTest(coreSwitch, { params: { rules, fallbackPort: 'other' }, items });
    expect(jsonOf(result, 'big')).toEqual([{ n: 200 }]);
    expect(jsonOf(result, 'even')).toEqual([{ n: 4 }]);
    expect(jsonOf(result, 'other')).toEqual([{ n: 3 }]);
  });

  it('sends an item to every matching rule in all mode and drops unmatched items without fallback', async () => {
    const result = await runNodeForTest(coreSwitch, { params: { rules, mode: 'all' }, items });
    expect(jsonOf(result, 'big')).toEqual([{ n: 200 }]);
    expect(jsonOf(result, 'even')).toEqual([{ n: 200 }, { n: 4 }]);
    expect(Object.keys(result.outputs).sort()).toEqual(['big', 'even']);
  });

  it('returns every port, empty ones included', async () => {
    const result = await runNodeForTest(coreSwitch, {
      params: { rules: [{ port: 'a', condition: false }], fallbackPort: 'b' },
      items: [{}],
    });
    expect(result.outputs).toEqual({ a: [], b: [{ json: {} }] });
  });

  it('rejects invalid and reserved port names', async () => {
    for (const port of ['bad port', 'error', '1st']) {
      await expect(
        runNodeForTest(coreSwitch, { params: { rules: [{ port, condition: true }] }, items: [{}] }),
      ).rejects.toMatchObject({ code: 'FF_INVALID_PARAMS' });
    }
  });
});
