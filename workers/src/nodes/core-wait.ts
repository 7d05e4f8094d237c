import { durationToMs, implementNode } from '@flowforge/connectors-sdk';
import { coreWaitType } from '@flowforge/connectors-sdk/builtin';

export const coreWait = implementNode(coreWaitType, (ctx) => {
  const { for: duration, until, resume, timeout } = ctx.params;
  if (resume === 'webhook') {
    ctx.waitForWebhook(timeout === undefined ? {} : { timeout });
    return { main: ctx.items };
  }
  const target = duration !== undefined ? new Date(Date.now() + durationToMs(duration)) : new Date(until ?? 0);
  if (target.getTime() > Date.now()) ctx.waitUntil(target);
  return { main: ctx.items };
});
