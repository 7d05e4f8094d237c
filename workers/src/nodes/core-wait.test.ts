import { runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreWait } from './core-wait.ts';

const items = [{ id: 1 }, { id: 2 }];

describe('core.wait', () => {
  it('asks for a durable wait of the given duration and passes its items through', async () => {
    const before = Date.now();
    const result = await runNodeForTest(coreWait, { params: { for: '2d' }, items });
    const until = Date.parse(result.effect?.kind === 'timer' ? result.effect.until : '');
    expect(until).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 2 * 86_400_000);
    expect(result.outputs.main).toEqual(items.map((json) => ({ json })));
  });

  it('waits until a future date', async () => {
    const result = await runNodeForTest(coreWait, { params: { until: '2999-01-31T09:00:00Z' }, items });
    expect(result.effect).toEqual({ kind: 'timer', until: '2999-01-31T09:00:00.000Z' });
  });

  it('does not wait for a date in the past', async () => {
    const result = await runNodeForTest(coreWait, { params: { until: '2000-01-01T00:00:00Z' }, items });
    expect(result.effect).toBeUndefined();
    expect(result.outputs.main).toHaveLength(2);
  });

  it('with resume: "webhook" asks the run to wait for its resume URL (with the timeout) and sets no timer', async () => {
    const result = await runNodeForTest(coreWait, { params: { resume: 'webhook', timeout: '10m' }, items });
    expect(result.effect).toEqual({ kind: 'webhook', request: { timeout: '10m' } });
    const unlimited = await runNodeForTest(coreWait, { params: { resume: 'webhook' }, items });
    expect(unlimited.effect).toEqual({ kind: 'webhook', request: {} });
  });

  it('refuses a timeout without resume: "webhook"', async () => {
    await expect(runNodeForTest(coreWait, { params: { for: '5m', timeout: '1h' }, items })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
      message: expect.stringContaining('"timeout" belongs to resume'),
    });
  });

  it('requires exactly one of for, until and resume', async () => {
    for (const params of [{}, { for: '5m', until: '2999-01-01T00:00:00Z' }, { for: '5m', resume: 'webhook' }]) {
      await expect(runNodeForTest(coreWait, { params, items })).rejects.toMatchObject({
        code: 'FF_INVALID_PARAMS',
        message: expect.stringContaining('exactly one'),
      });
    }
  });

  it('rejects a malformed duration or date', async () => {
    await expect(runNodeForTest(coreWait, { params: { for: '5 minutes' }, items })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
    await expect(runNodeForTest(coreWait, { params: { until: 'tomorrow' }, items })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});
