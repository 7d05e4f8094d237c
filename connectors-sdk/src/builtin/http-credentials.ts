import { z } from 'zod';
import { defineCredential } from '../define-credential.ts';

/**
 * The credential types http.request authenticates with (its `authentication` parameter names one,
 * and the node's credential slot of the same name holds the credential). Error messages are our own
 * (credentialValueIssues): none may quote the value.
 */

/** An HTTP header name (RFC 9110 token characters). */
const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/);
/** A header value: visible ASCII and spaces, no line breaks (they would split the request). */
const HeaderValue = z
  .string()
  .min(1)
  .max(16_384)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/);

export const httpHeaderAuth = defineCredential({
  type: 'httpHeaderAuth',
  displayName: 'HTTP header',
  description: 'Sends one header with every request, e.g. { "name": "X-API-Key", "value": "…" }.',
  schema: z.strictObject({ name: HeaderName, value: HeaderValue }),
  secretFields: ['value'],
});

export const httpBasicAuth = defineCredential({
  type: 'httpBasicAuth',
  displayName: 'HTTP basic auth',
  description: 'Authorization: Basic with a user and password (RFC 7617).',
  schema: z.strictObject({
    // A colon would end the user part of "user:password".
    user: z
      .string()
      .max(1024)
      .regex(/^[^:\r\n]*$/),
    password: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\r\n]*$/),
  }),
  secretFields: ['password'],
});

export const httpBearerAuth = defineCredential({
  type: 'httpBearerAuth',
  displayName: 'HTTP bearer token',
  description: 'Authorization: Bearer <token> (RFC 6750).',
  schema: z.strictObject({ token: HeaderValue }),
  secretFields: ['token'],
});

export const oauth2ClientCredentials = defineCredential({
  type: 'oauth2ClientCredentials',
  displayName: 'OAuth2 client credentials',
  description:
    'OAuth 2.0 client credentials grant (RFC 6749 §4.4): the worker asks tokenUrl for an access token with ' +
    'the client id and secret (HTTP basic), caches it until it expires, fetches a new one then (or when the ' +
    'API answers 401), and sends it as Authorization: Bearer.',
  schema: z.strictObject({
    tokenUrl: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1).max(1024),
    clientSecret: z.string().min(1).max(4096),
    scope: z.string().max(4096).optional(),
  }),
  secretFields: ['clientSecret'],
});

export type HttpHeaderAuth = z.infer<typeof httpHeaderAuth.schema>;
export type HttpBasicAuth = z.infer<typeof httpBasicAuth.schema>;
export type HttpBearerAuth = z.infer<typeof httpBearerAuth.schema>;
export type OAuth2ClientCredentials = z.infer<typeof oauth2ClientCredentials.schema>;

export const httpCredentialTypes = [httpHeaderAuth, httpBasicAuth, httpBearerAuth, oauth2ClientCredentials] as const;
