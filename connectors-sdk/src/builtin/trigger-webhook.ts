import { z } from 'zod';
import { DurationSchema, defineNodeType, type WebhookRoute } from '../index.ts';

const SEGMENT = '[A-Za-z0-9._~-]+';
const PATH = new RegExp(`^${SEGMENT}(/(${SEGMENT}|:[A-Za-z_][A-Za-z0-9_]*))*$`);

const WebhookParamsSchema = z.strictObject({
  path: z
    .string()
    .max(200)
    .regex(PATH, {
      error:
        'a webhook path is segments of letters, digits, ".", "_", "~" or "-" joined by "/", like "orders/new"; a segment ":id" takes any value into params.id',
    })
    .refine((path) => !path.startsWith('resume/') && path !== 'resume', {
      error: '"resume/..." is where waiting runs are resumed; pick another path',
    })
    .describe('The URL after /webhook/, like "orders/new" or "orders/:id" (":id" becomes params.id).'),
  method: z.enum(['POST', 'GET', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('The HTTP method it answers.'),
  respond: z
    .enum(['lastNode', 'immediately', 'responseNode'])
    .default('lastNode')
    .describe(
      '"lastNode": 200 with the first item of the last node that ran; "immediately": 202 { runId } once the run started; "responseNode": what a core.respondToWebhook node sends.',
    ),
  responseTimeout: DurationSchema.default('30s').describe(
    'How long "lastNode" and "responseNode" wait before answering 202 { runId, status: "RUNNING" }.',
  ),
  auth: z
    .strictObject({
      type: z.enum(['none', 'header', 'basic', 'hmac']).default('none'),
      credential: z
        .string()
        .min(1)
        .optional()
        .describe(
          'The credential callers must match: an httpHeaderAuth (header name and value), an httpBasicAuth (user and password) or a webhookHmacSecret.',
        ),
    })
    .refine((auth) => auth.type === 'none' || auth.credential !== undefined, {
      error: 'name the credential that holds what callers must send ("credential": "<name>")',
      path: ['credential'],
    })
    .default({ type: 'none' })
    .describe(
      'Who may call it: anyone ("none"); a header ("header"); HTTP basic auth ("basic"); or an HMAC-SHA256 signature ("hmac"): X-FlowForge-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, "<t>.<raw body>")>, at most 5 minutes from the control plane\'s clock. Anything else is answered 401.',
    ),
});

export const triggerWebhookType = defineNodeType({
  type: 'trigger.webhook',
  version: 1,
  group: 'trigger',
  displayName: 'Webhook',
  description:
    'Starts a run for every HTTP request to /webhook/<path> while a version of its workflow is active ' +
    '(flowforge workflow activate). Outputs one item as n8n does: { method, headers, params, query, body } (JSON, ' +
    'form and text bodies as they are; other bodies as binary). Bad requests get 4xx answers and start nothing.',
  params: WebhookParamsSchema,
  inputs: [],
  outputs: ['main'],
  defaultTimeout: '30s',
  // Read when the workflow is activated: they must be written as values.
  literalParams: ['path', 'method', 'respond', 'responseTimeout', 'auth'],
  capabilities: {
    trigger: true,
    pure: true,
    webhook: (params) => WebhookParamsSchema.parse(params) satisfies WebhookRoute,
  },
});
