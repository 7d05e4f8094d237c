import { join } from 'node:path';
import { FileArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import type { PortOutput } from '@flowforge/connectors-sdk/contract';
import { checkOutPort } from '../../src/artifacts/claim-check.ts';
import { dagOf } from './test-runs.ts';

/** What the core.loop engine tests (loops.test.ts, loop-control.test.ts) share. */

/**
 * Loop runs are replayed against today's runDag right after they end, and the histories committed
 * in loop-histories/ (written with FLOWFORGE_RECORD_HISTORIES=1) are replayed too, so a later change
 * that breaks loops in flight fails there.
 */
export const loopHistoriesDir = join(import.meta.dirname, '..', 'loop-histories');

/** start → numbers (values) → loop (batchSize) ⇄ body → after; `body` is [first..., last] of core nodes. */
export function loopOver(name: string, values: number[], batchSize: number, body: Array<Record<string, unknown>>) {
  const ids = body.map((node) => node.id as string);
  return dagOf(
    name,
    [
      source('numbers', values),
      { id: 'loop', type: 'core.loop', params: { batchSize } },
      ...body,
      { id: 'after', type: 'core.noop' },
    ],
    [
      { from: 'start', to: 'numbers' },
      { from: 'numbers', to: 'loop' },
      { from: 'loop', fromPort: 'loop', to: ids[0] },
      ...ids.slice(1).map((id, index) => ({ from: ids[index], to: id })),
      { from: ids.at(-1), to: 'loop' },
      { from: 'loop', fromPort: 'done', to: 'after' },
    ],
  );
}

/** A core.code node that outputs `{ n }` for each of `values`. */
export const source = (id: string, values: number[]) => ({
  id,
  type: 'core.code',
  params: { mode: 'allItems', code: `return ${JSON.stringify(values)}.map((n) => ({ n }));` },
});

/** An output's items' json, read from the artefact store when it was stored. */
export async function itemsOf(output: PortOutput | undefined, artifactsDir: string): Promise<unknown[]> {
  if (output === undefined) throw new Error('no output');
  const items = await checkOutPort(output, new FileArtifactStore(artifactsDir));
  return items.map((item) => item.json);
}
