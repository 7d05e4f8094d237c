import { implementNode } from '@flowforge/connectors-sdk';
import { coreRespondToWebhookType } from '@flowforge/connectors-sdk/builtin';

/**
 * Asks the run to answer the webhook request that started it (the `respond` effect); the run hands
 * the answer to the waiting request (workflows/webhook-response.ts) and goes on with the items.
 */
export const coreRespondToWebhook = implementNode(coreRespondToWebhookType, (ctx) => {
  const { status, headers, body, respondWith } = ctx.params;
  ctx.respondToWebhook({
    status,
    headers: headers ?? {},
    respondWith,
    body: respondWith === 'noData' ? null : (body ?? ctx.items[0]?.json ?? {}),
  });
  return { main: ctx.items };
});
