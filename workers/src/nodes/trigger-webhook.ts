import { implementNode } from '@flowforge/connectors-sdk';
import { triggerWebhookType } from '@flowforge/connectors-sdk/builtin';
import { runInputItems } from './trigger-manual.ts';

/** The request item the control plane built ({ method, headers, params, query, body }) is the run input. */
export const triggerWebhook = implementNode(triggerWebhookType, (ctx) => ({ main: runInputItems(ctx.run.input) }));
