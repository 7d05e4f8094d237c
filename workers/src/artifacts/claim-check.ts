import { randomUUID } from 'node:crypto';
import {
  FlowForgeError,
  type Item,
  jsonShapeProblem,
  MAX_JSON_DEPTH,
  type PortItems,
  shortPath,
} from '@flowforge/connectors-sdk';
import type { ArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import { type ArtifactRef, isArtifactRef, type PortOutput } from '@flowforge/connectors-sdk/contract';

/** Above this, a port's items go to the artefact store: Temporal rejects payloads past 2 MB. */
export const DEFAULT_CLAIM_CHECK_BYTES = 256 * 1024;

export interface ClaimCheckOptions {
  store: ArtifactStore;
  thresholdBytes: number;
  /** Key prefix, e.g. `<runId>/<nodeId>`: one folder per run makes clean-up simple. */
  prefix: string;
}

/**
 * Refuses outputs that could not travel on: an item nested deeper than MAX_JSON_DEPTH (json inside
 * the item: one level more). Past a few thousand levels JSON.stringify (this claim check, Temporal's
 * payload converter) overflows the stack, which failed the node as a retryable FF_INTERNAL; the data
 * will not get shallower by retrying, so this says what is wrong, where, and does not retry.
 */
export function checkOutputDepth(outputs: PortItems, nodeId: string): void {
  for (const [port, items] of Object.entries(outputs)) {
    for (const [index, item] of items.entries()) {
      const problem = jsonShapeProblem(item, { maxDepth: MAX_JSON_DEPTH + 1 });
      if (!problem) continue;
      const path = [port, index, ...problem.path];
      throw new FlowForgeError(
        'FF_OUTPUT_TOO_DEEP',
        `node "${nodeId}": its output nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels (at ${shortPath(path)}), more than FlowForge passes between nodes`,
        {
          path,
          hint: 'flatten the data before it leaves the node (in core.code, JSON.stringify the deep part into a string)',
        },
      );
    }
  }
}

/** Replaces every port whose JSON is over the threshold by a reference to the stored items. */
export async function checkInOutputs(
  outputs: PortItems,
  options: ClaimCheckOptions,
): Promise<Record<string, PortOutput>> {
  const checked: Record<string, PortOutput> = {};
  for (const [port, items] of Object.entries(outputs)) {
    const json = JSON.stringify(items);
    const bytes = Buffer.byteLength(json);
    if (bytes <= options.thresholdBytes) {
      checked[port] = items;
      continue;
    }
    // A fresh key per attempt: a retried attempt never reads or overwrites a half-written one.
    const key = `${options.prefix}/${port}-${randomUUID()}.json`;
    await options.store.put(key, json);
    checked[port] = { $artifact: key, bytes, items: items.length } satisfies ArtifactRef;
  }
  return checked;
}

export async function checkOutPort(output: PortOutput, store: ArtifactStore): Promise<Item[]> {
  if (!isArtifactRef(output)) return output;
  const data = await store.get(output.$artifact);
  return JSON.parse(Buffer.from(data).toString('utf8')) as Item[];
}

/** Loads every reference among the outputs of a node (ports) and concatenates the inputs of a port. */
export async function checkOutPorts(ports: Record<string, PortOutput>, store: ArtifactStore): Promise<PortItems> {
  const loaded: PortItems = {};
  for (const [port, output] of Object.entries(ports)) loaded[port] = await checkOutPort(output, store);
  return loaded;
}

export async function checkOutInputs(inputs: Record<string, PortOutput[]>, store: ArtifactStore): Promise<PortItems> {
  const loaded: PortItems = {};
  for (const [port, outputs] of Object.entries(inputs)) {
    const lists = await Promise.all(outputs.map((output) => checkOutPort(output, store)));
    loaded[port] = lists.flat();
  }
  return loaded;
}
