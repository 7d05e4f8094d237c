import { randomUUID } from 'node:crypto';
import {
  type AnyNodeDefinition,
  type Item,
  LOOP_NODE_TYPE,
  MAIN_PORT,
  type NodeRegistry,
} from '@flowforge/connectors-sdk';
import type { ArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import type { ArtifactRef, LoopPage, PortOutput } from '@flowforge/connectors-sdk/contract';
import { runNode } from '@flowforge/connectors-sdk/runtime';
import { Context } from '@temporalio/activity';
import { checkInOutputs, checkOutInputs, checkOutPort } from '../artifacts/claim-check.ts';
import { nodeDefinition, safeSegment, toFailure } from './execute-node.ts';
import type { LoadLoopPageInput, StartLoopInput, StartLoopResult, StoreLoopResultsInput } from './loop-contract.ts';

export interface LoopActivitiesOptions {
  registry: NodeRegistry;
  store: ArtifactStore;
  claimCheckBytes: number;
}

/**
 * A page of source items the workflow holds (and continue-as-new carries) is at most this big:
 * small enough to carry, big enough that a loop over small items reads a page every few hundred
 * batches instead of every batch.
 */
export const LOOP_PAGE_BYTES = 64 * 1024;

/**
 * core.loop's activities. The loop node's input is read once (startLoop) and stored as pages of
 * whole batches; each later page is one small read (loadLoopPage). So no activity input or result
 * ever holds the whole source, whatever the number of iterations. Collected results go to the
 * store in parts (storeLoopResults) and are merged once for `done`.
 */
export function createLoopActivities(options: LoopActivitiesOptions) {
  const { store, claimCheckBytes } = options;
  const pageBytes = Math.min(LOOP_PAGE_BYTES, claimCheckBytes);

  async function startLoop(input: StartLoopInput): Promise<StartLoopResult> {
    const { attempt } = Context.current().info;
    try {
      const definition = nodeDefinition(options.registry, input.node);
      const items = (await checkOutInputs(input.inputs, store))[MAIN_PORT] ?? [];
      Context.current().heartbeat();
      const batchSize = await loopBatchSize(definition, input, items);
      if (items.length === 0) return { batchSize, total: 0, attempt };
      const batchBytes = chunk(items, batchSize).map((batch) => Buffer.byteLength(JSON.stringify(batch)));
      const batchesPerPage = Math.max(1, Math.floor(pageBytes / Math.max(...batchBytes)));
      const pageItems = chunk(items, batchesPerPage * batchSize);
      // A fresh prefix per attempt: a retried attempt never reads pages half-written by another.
      const prefix = `${safeSegment(input.run.id)}/${safeSegment(input.node.id)}/loop-${randomUUID()}`;
      const first = pageItems[0] as Item[];
      if (pageItems.length === 1) {
        return {
          batchSize,
          total: items.length,
          page: { index: 0, items: await inlineOrStored(first, prefix, 0) },
          attempt,
        };
      }
      let index = 0;
      for (const page of pageItems) {
        await store.put(pageKey(prefix, index++), JSON.stringify(page));
        Context.current().heartbeat();
      }
      return {
        batchSize,
        total: items.length,
        pages: { prefix, count: pageItems.length, batchesPerPage },
        page: { index: 0, items: await inlineOrStored(first, prefix, 0, true) },
        attempt,
      };
    } catch (error) {
      throw toFailure(error, input, attempt);
    }
  }

  async function loadLoopPage(input: LoadLoopPageInput): Promise<LoopPage> {
    const key = pageKey(input.pages.prefix, input.index);
    const data = await store.get(key);
    const items = JSON.parse(Buffer.from(data).toString('utf8')) as Item[];
    if (data.byteLength <= pageBytes) return { index: input.index, items };
    return { index: input.index, items: { $artifact: key, bytes: data.byteLength, items: items.length } };
  }

  async function storeLoopResults(input: StoreLoopResultsInput): Promise<PortOutput> {
    const { attempt } = Context.current().info;
    try {
      const lists = await Promise.all(input.parts.map((part) => checkOutPort(part, store)));
      const items = lists.flat();
      const prefix = `${safeSegment(input.run.id)}/${safeSegment(input.node.id)}`;
      if (input.mode === 'final') {
        const checked = await checkInOutputs({ done: items }, { store, thresholdBytes: claimCheckBytes, prefix });
        return checked.done ?? [];
      }
      const json = JSON.stringify(items);
      const key = `${prefix}/loop-results-${randomUUID()}.json`;
      await store.put(key, json);
      return { $artifact: key, bytes: Buffer.byteLength(json), items: items.length } satisfies ArtifactRef;
    } catch (error) {
      throw toFailure(error, { node: { id: input.node.id, type: LOOP_NODE_TYPE, params: {} } }, attempt);
    }
  }

  /** A page as the workflow gets it: inline when small, else a reference (stored now unless it already is). */
  async function inlineOrStored(items: Item[], prefix: string, index: number, stored = false): Promise<PortOutput> {
    const json = JSON.stringify(items);
    const bytes = Buffer.byteLength(json);
    if (bytes <= pageBytes) return items;
    const key = pageKey(prefix, index);
    if (!stored) await store.put(key, json);
    return { $artifact: key, bytes, items: items.length } satisfies ArtifactRef;
  }

  return { startLoop, loadLoopPage, storeLoopResults };
}

export type LoopActivities = ReturnType<typeof createLoopActivities>;

function pageKey(prefix: string, index: number): string {
  return `${prefix}/page-${index}.json`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * The loop's parameters are evaluated and validated by the runtime exactly as for any node (an
 * expression sees the first item as $json): the node's definition runs with an `execute` that
 * only hands the batch size back.
 */
async function loopBatchSize(definition: AnyNodeDefinition, input: StartLoopInput, items: Item[]): Promise<number> {
  const probe: AnyNodeDefinition = {
    ...definition,
    outputs: [MAIN_PORT],
    execute: (ctx) => ({ [MAIN_PORT]: [{ json: { batchSize: (ctx.params as { batchSize: number }).batchSize } }] }),
  };
  const result = await runNode(probe, {
    nodeId: input.node.id,
    rawParams: input.node.params,
    inputs: { [MAIN_PORT]: items.slice(0, 1) },
    nodeOutputs: {},
    run: { id: input.run.id, workflow: input.run.workflow, input: undefined },
    idempotencyKey: `${input.run.id}:${input.node.id}`,
  });
  return result.outputs[MAIN_PORT]?.[0]?.json.batchSize as number;
}
