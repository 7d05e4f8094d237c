import { runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreStopAndError } from './core-stop-and-error.ts';

describe('core.stopAndError', () => {
  it('fails with FF_STOP_AND_ERROR and the given message', async () => {
    await expect(
      runNodeForTest(coreStopAndError, { params: { message: 'order has no customer' }, items: [{}] }),
    ).rejects.toMatchObject({ code: 'FF_STOP_AND_ERROR', message: 'order has no customer', retryable: false });
  });

  it('evaluates an expression message against the first item', async () => {
    await expect(
      runNodeForTest(coreStopAndError, { params: { message: '=Order {{ $json.id }} is broken' }, items: [{ id: 7 }] }),
    ).rejects.toMatchObject({ code: 'FF_STOP_AND_ERROR', message: 'Order 7 is broken' });
  });
});
