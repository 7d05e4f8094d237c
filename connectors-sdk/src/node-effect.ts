import { z } from 'zod';
import { ApprovalRequestSchema } from './approval.ts';
import { SubworkflowRequestSchema } from './subworkflow.ts';
import { WebhookWaitRequestSchema } from './webhook-wait.ts';

/** What core.respondToWebhook answers the request that started the run. */
export const WebhookResponseSchema = z.object({
  status: z.int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  respondWith: z.enum(['json', 'text', 'noData']),
  body: z.unknown(),
});
export type WebhookResponse = z.infer<typeof WebhookResponseSchema>;

/**
 * What a node asked the run to do after its activity returned, besides delivering its outputs:
 * wait on a timer (core.wait), for a decision (core.approval), for its resume webhook (core.wait,
 * resume: webhook), or for a child run (core.executeWorkflow), or answer the webhook request that
 * started the run (core.respondToWebhook). One at most: `runDag` handles each
 * kind in one exhaustive switch.
 */
export const NodeEffectSchema = z.discriminatedUnion('kind', [
  /** `until`: ISO time. */
  z.object({ kind: z.literal('timer'), until: z.string() }),
  z.object({ kind: z.literal('approval'), request: ApprovalRequestSchema }),
  z.object({ kind: z.literal('webhook'), request: WebhookWaitRequestSchema }),
  z.object({ kind: z.literal('subworkflow'), request: SubworkflowRequestSchema }),
  /** core.respondToWebhook: answer the waiting webhook request; the node's outputs go on at once. */
  z.object({ kind: z.literal('respond'), response: WebhookResponseSchema }),
]);
export type NodeEffect = z.infer<typeof NodeEffectSchema>;
