import type { Item } from '@flowforge/connectors-sdk';

/**
 * The POSTed body as the node's output items: an object is one item, an array one item per
 * element (non-objects wrapped as `{ value }`), anything else (text, a number, no body) one
 * item `{ body }`.
 */
export function resumeItems(body: unknown): Item[] {
  if (Array.isArray(body)) return body.map((element) => ({ json: asJson(element, 'value') }));
  return [{ json: asJson(body, 'body') }];
}

function asJson(value: unknown, key: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return value === undefined ? {} : { [key]: value };
}
