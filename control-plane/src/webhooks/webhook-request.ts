import type { Item } from '@flowforge/connectors-sdk';
import type { FastifyRequest } from 'fastify';

/** Headers a caller sends to authenticate; never copied into the run's item (history, outputs). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The trigger item, n8n's shape: `{ method, headers, params, query, body }`. JSON, form and text
 * bodies are the body as parsed; any other content type is the item's binary `data` (base64). An
 * item too big for Temporal history is stored as the run's input (routes: storeRunInputIfLarge).
 */
export function webhookItem(request: FastifyRequest, params: Record<string, string>, secretHeader?: string): Item {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (SECRET_HEADERS.has(name) || name === secretHeader?.toLowerCase() || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const json = { method: request.method, headers, params, query: { ...(request.query as object) } };
  const body = request.body;
  if (!Buffer.isBuffer(body)) return { json: { ...json, ...(body !== undefined ? { body } : {}) } };
  const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
  return { json, binary: { data: { data: body.toString('base64'), mimeType } } };
}
