import type { NodeToRun } from '../interpreter/index.ts';

/**
 * `patched()` id of the waits-first start order. Runs started before it schedule ready nodes in
 * file order; their histories (test/histories-pre-patch/) must replay with that order, so runDag
 * asks `patched(WAITS_FIRST_PATCH)` before it uses the new one. Retirement plan: workers/README.md.
 */
export const WAITS_FIRST_PATCH = 'flowforge-waits-first';

/**
 * The node types that had the durableWait capability when runs did not record which nodes have it
 * (VerifiedRun.durableWaits absent): only histories recorded before then read this.
 */
const RECORDED_BEFORE_CAPABILITIES: ReadonlySet<string> = new Set(['core.wait', 'core.approval']);

/**
 * Which nodes are durable waits: the verified run's list, or, for a history recorded before
 * verification returned one, the node types that had the capability then.
 */
export function durableWaitsOf(
  durableWaits: readonly string[] | undefined,
  typeOf: (id: string) => string | undefined,
): (id: string) => boolean {
  if (durableWaits) {
    const ids = new Set(durableWaits);
    return (id) => ids.has(id);
  }
  return (id) => RECORDED_BEFORE_CAPABILITIES.has(typeOf(id) ?? '');
}

/**
 * The ready nodes with durable waits first, each group in its previous (file) order. A wait's
 * clock starts when its short activity returns (a core.wait's timer, an approval's `since`, its
 * timeout, the person being asked); scheduled first, it is dispatched first instead of queueing
 * behind slow siblings for the worker's activity slots. Pure.
 */
export function waitsFirst(ready: readonly NodeToRun[], isWait: (id: string) => boolean): NodeToRun[] {
  return [...ready.filter((node) => isWait(node.id)), ...ready.filter((node) => !isWait(node.id))];
}

/** Whether `waitsFirst` changed anything: only then does the order need the patch (and its marker). */
export function reordered(before: readonly NodeToRun[], after: readonly NodeToRun[]): boolean {
  return after.some((node, index) => node !== before[index]);
}
