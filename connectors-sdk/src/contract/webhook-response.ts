import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { WebhookResponseSchema } from '../node-effect.ts';
import { RunStatusSchema } from './run-state.ts';

/**
 * A webhook whose trigger says `respond: "responseNode"` is answered by the run itself: the control
 * plane starts the run, then waits on its `webhookResponse` update, which returns the first answer
 * a core.respondToWebhook node gave, or, when the run ended without one, how it ended.
 */
export const WEBHOOK_RESPONSE_UPDATE = 'webhookResponse';

export const WebhookAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('response'), response: WebhookResponseSchema }),
  z.object({ kind: z.literal('ended'), status: RunStatusSchema, error: SerializedErrorSchema.optional() }),
]);
export type WebhookAnswer = z.infer<typeof WebhookAnswerSchema>;
