import type { Item } from '@flowforge/connectors-sdk';
import type { FastifyRequest } from 'fastify';
import { checkJsonArgument } from '../boundary/json-arguments.ts';
import { parseJsonBody } from '../boundary/json-body.ts';

/** Headers a caller sends to authenticate; never copied into the run's item (history, outputs). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * A webhook's body as the run sees it: JSON (`application/json`, `…+json`) and form bodies parsed,
 * `text/*` as a string, anything else as bytes (the item's binary `data`); nothing for an empty
 * body. The routes read every body as bytes first: an HMAC signature is over the raw body.
 */
export function parseWebhookBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mime === 'application/json' || mime.endsWith('+json')) {
    const body = parseJsonBody(raw.toString('utf8'));
    // The body sits two levels down in the item's json (item → json → body).
    checkJsonArgument({ json: { body } }, [], 'the request body');
    return body;
  }
  if (mime === 'application/x-www-form-urlencoded') return formFields(raw.toString('utf8'));
  if (mime.startsWith('text/')) return raw.toString('utf8');
  return raw;
}

/**
 * The trigger item, n8n's shape: `{ method, headers, params, query, body }`. JSON, form and text
 * bodies are the body as parsed; any other content type is the item's binary `data` (base64). An
 * item too big for Temporal history is stored as the run's input (routes: storeRunInputIfLarge).
 */
export function webhookItem(
  request: FastifyRequest,
  params: Record<string, string>,
  body: unknown,
  secretHeader?: string,
): Item {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (SECRET_HEADERS.has(name) || name === secretHeader?.toLowerCase() || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const json = { method: request.method, headers, params, query: { ...(request.query as object) } };
  if (!Buffer.isBuffer(body)) return { json: { ...json, ...(body !== undefined ? { body } : {}) } };
  const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
  return { json, binary: { data: { data: body.toString('base64'), mimeType } } };
}

/** `a=1&b=2&b=3` → `{ a: '1', b: ['2', '3'] }`; built from entries, so `__proto__` is a plain key. */
function formFields(body: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = fields.get(key);
    fields.set(key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  return Object.fromEntries(fields);
}
