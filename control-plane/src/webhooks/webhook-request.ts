import type { Item } from '@flowforge/connectors-sdk';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyRequest } from 'fastify';

/**
 * A binary body travels inside the run's start input (Temporal history) as base64: past this it
 * would near Temporal's 2 MB payload limit. Bigger ones need an artefact store the control plane
 * shares with the workers, which the local stack does not have yet.
 */
export const MAX_BINARY_BODY_BYTES = 1024 * 1024;

/** Headers a caller sends to authenticate; never copied into the run's item (history, outputs). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The trigger item, n8n's shape: `{ method, headers, params, query, body }`. JSON, form and text
 * bodies are the body as parsed; any other content type is the item's binary `data`.
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
  if (body.length > MAX_BINARY_BODY_BYTES) {
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `a binary body (${request.headers['content-type'] ?? 'no content type'}) of ${body.length} bytes is more than the ${MAX_BINARY_BODY_BYTES} a run takes`,
      { hint: 'send JSON, or a smaller file, or a URL the workflow fetches with http.request' },
    );
  }
  const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
  return { json, binary: { data: { data: body.toString('base64'), mimeType } } };
}
