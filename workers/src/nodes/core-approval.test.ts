import { runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreApproval } from './core-approval.ts';

const items = [{ id: 1 }, { id: 2 }];

describe('core.approval', () => {
  it('asks the run to wait for a decision with its evaluated parameters, holding the items', async () => {
    const result = await runNodeForTest(coreApproval, {
      params: {
        message: '=Pay {{ $json.id }}?',
        roles: ['finance'],
        timeout: '3d',
        fields: { amount: { type: 'number', required: true } },
      },
      items,
    });
    expect(result.effect?.kind === 'approval' && result.effect.request).toEqual({
      message: 'Pay 1?',
      roles: ['finance'],
      users: [],
      timeout: '3d',
      onTimeout: 'reject',
      fields: { amount: { type: 'number', required: true } },
    });
    expect(result.outputs.approved).toEqual(items.map((json) => ({ json })));
  });

  it('rejects an unknown onTimeout, a malformed timeout and a field of an unknown type', async () => {
    for (const params of [
      { onTimeout: 'ignore' },
      { timeout: 'three days' },
      { fields: { amount: { type: 'date' } } },
    ]) {
      await expect(runNodeForTest(coreApproval, { params, items }), JSON.stringify(params)).rejects.toMatchObject({
        code: 'FF_INVALID_PARAMS',
      });
    }
  });
});
