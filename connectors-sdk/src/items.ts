import { z } from 'zod';

/** Binary data travels base64-encoded, with its MIME type; big ones go to the artefact store. */
export const BinaryDataSchema = z.object({
  data: z.string(),
  mimeType: z.string(),
  fileName: z.string().optional(),
});

/** The unit of data between nodes, as in n8n: a JSON object and optional binary attachments. */
export const ItemSchema = z.object({
  json: z.record(z.string(), z.unknown()),
  binary: z.record(z.string(), BinaryDataSchema).optional(),
});

export type BinaryData = z.infer<typeof BinaryDataSchema>;
export type Item = z.infer<typeof ItemSchema>;
export type JsonObject = Record<string, unknown>;

/** Items per port, as a node returns them: `{ main: [...] }`, `{ true: [...], false: [...] }`. */
export type PortItems = Record<string, Item[]>;

/** Wraps plain values as items: an object is one item, an array of objects is one item each. */
export function toItems(value: unknown): Item[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => {
    if (isItem(entry)) return entry;
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) return { json: entry as JsonObject };
    return { json: { value: entry } };
  });
}

function isItem(value: unknown): value is Item {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  const json = (value as { json?: unknown }).json;
  return (
    keys.every((key) => key === 'json' || key === 'binary') &&
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json)
  );
}
