import { z } from 'zod';
import { defineCredential } from '../define-credential.ts';

/**
 * The secret a `trigger.webhook` with `auth: { type: "hmac" }` checks signatures with: callers send
 * `X-FlowForge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * (Header auth takes an httpHeaderAuth credential, basic auth an httpBasicAuth one.)
 */
export const webhookHmacSecret = defineCredential({
  type: 'webhookHmacSecret',
  displayName: 'Webhook HMAC secret',
  description:
    'The shared secret callers sign webhook requests with (HMAC-SHA256 over "<timestamp>.<raw body>", sent as ' +
    'X-FlowForge-Signature: t=<unix seconds>,v1=<hex>); at least 16 characters.',
  schema: z.strictObject({ secret: z.string().min(16).max(4096) }),
  secretFields: ['secret'],
});

export type WebhookHmacSecret = z.infer<typeof webhookHmacSecret.schema>;
