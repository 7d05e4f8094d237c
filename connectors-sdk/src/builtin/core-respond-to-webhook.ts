import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const RespondToWebhookParamsSchema = z.strictObject({
  status: z.int().min(100).max(599).default(200).describe('The HTTP status of the answer.'),
  headers: z.record(z.string(), z.string()).optional().describe('Headers of the answer.'),
  body: z.unknown().optional().describe("The answer's body (an expression, usually); absent: the first item's json."),
  respondWith: z
    .enum(['json', 'text', 'noData'])
    .default('json')
    .describe('"json": the body as JSON; "text": as text; "noData": no body.'),
});
export type RespondToWebhookParams = z.infer<typeof RespondToWebhookParamsSchema>;

export const coreRespondToWebhookType = defineNodeType({
  type: 'core.respondToWebhook',
  version: 1,
  group: 'flow',
  displayName: 'Respond to Webhook',
  description:
    'Answers the webhook request that started the run (its trigger.webhook has respond: "responseNode") when it ' +
    'runs; the run goes on after it and it passes its items through. Runs that no request waits for (a manual ' +
    'start, a second response) pass the items through and answer nobody.',
  params: RespondToWebhookParamsSchema,
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
