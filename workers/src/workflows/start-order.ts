import type { NodeToRun } from '../interpreter/index.ts';

/**
 * `patched()` id of the waits-first start order. Runs started before it schedule ready nodes in
 * file order; their histories (test/histories-pre-patch/) must replay with that order, so runDag
 * asks `patched(WAITS_FIRST_PATCH)` before it uses the new one. Retirement plan: workers/README.md.
 */
export const WAITS_FIRST_PATCH = 'flowforge-waits-first';

/** Node types whose executeNode activity only opens a durable wait (a timer, an approval). */
const DURABLE_WAIT_TYPES: ReadonlySet<string> = new Set(['core.wait', 'core.approval']);

/**
 * The ready nodes with durable waits first, each group in its previous (file) order. A wait's
 * clock starts when its short activity returns (a core.wait's timer, an approval's `since`, its
 * timeout, the person being asked); scheduled first, it is dispatched first instead of queueing
 * behind slow siblings for the worker's activity slots. Pure: `typeOf` reads the node's type.
 */
export function waitsFirst(ready: readonly NodeToRun[], typeOf: (id: string) => string | undefined): NodeToRun[] {
  const isWait = (node: NodeToRun) => DURABLE_WAIT_TYPES.has(typeOf(node.id) ?? '');
  return [...ready.filter(isWait), ...ready.filter((node) => !isWait(node))];
}

/** Whether `waitsFirst` changed anything: only then does the order need the patch (and its marker). */
export function reordered(before: readonly NodeToRun[], after: readonly NodeToRun[]): boolean {
  return after.some((node, index) => node !== before[index]);
}
