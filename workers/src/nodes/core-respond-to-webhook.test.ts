import { runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreRespondToWebhook } from './core-respond-to-webhook.ts';

const items = [{ total: 42 }, { total: 7 }];

describe('core.respondToWebhook', () => {
  it('asks the run to answer with the evaluated body, status and headers, and passes its items on', async () => {
    const result = await runNodeForTest(coreRespondToWebhook, {
      params: { status: 201, headers: { 'x-order': 'made' }, body: '={{ { total: $json.total } }}' },
      items,
    });
    expect(result.effect).toEqual({
      kind: 'respond',
      response: { status: 201, headers: { 'x-order': 'made' }, respondWith: 'json', body: { total: 42 } },
    });
    expect(result.outputs.main).toHaveLength(2);
  });

  it("answers with the first item's json when no body is given, and with nothing for noData", async () => {
    const first = await runNodeForTest(coreRespondToWebhook, { params: {}, items });
    expect(first.effect).toMatchObject({ response: { status: 200, body: { total: 42 } } });
    const none = await runNodeForTest(coreRespondToWebhook, { params: { respondWith: 'noData' }, items });
    expect(none.effect).toMatchObject({ response: { respondWith: 'noData', body: null } });
  });

  it('refuses a body too big to go back through the run', async () => {
    await expect(
      runNodeForTest(coreRespondToWebhook, { params: { respondWith: 'text', body: 'x'.repeat(2 * 1024 * 1024) } }),
    ).rejects.toMatchObject({ code: 'FF_INVALID_PARAMS', path: ['params', 'body'] });
  });
});
