import { z } from 'zod';
import { type Item, ItemSchema } from '../items.ts';

/** Claim check: a node output too big for Temporal history, stored in the artefact store. */
export const ArtifactRefSchema = z.object({ $artifact: z.string(), bytes: z.number(), items: z.number() });

/** What one output port carries through history: its items, or a reference to where they are stored. */
export const PortOutputSchema = z.union([z.array(ItemSchema), ArtifactRefSchema]);

/** A node's outputs by port. */
export const NodeOutputSchema = z.record(z.string(), PortOutputSchema);

export type ArtifactRef = z.infer<typeof ArtifactRefSchema>;
export type PortOutput = z.infer<typeof PortOutputSchema>;
export type NodeOutput = z.infer<typeof NodeOutputSchema>;

export function isArtifactRef(value: PortOutput | undefined): value is ArtifactRef {
  return value !== undefined && !Array.isArray(value) && typeof value.$artifact === 'string';
}

/** A port fired when it delivered at least one item; a missing or empty port did not fire. */
export function portFired(output: PortOutput | undefined): boolean {
  if (output === undefined) return false;
  return Array.isArray(output) ? output.length > 0 : output.items > 0;
}

/** The items a port carried inline (none when it did not fire); a stored port must be read from the store. */
export function inlineItems(output: PortOutput | undefined): Item[] {
  if (output === undefined) return [];
  if (isArtifactRef(output)) throw new Error(`the port's ${output.items} items are stored as ${output.$artifact}`);
  return output;
}
