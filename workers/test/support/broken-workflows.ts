/**
 * A `runDag` with a bug: it throws a plain Error, which fails its workflow task (not the run), so
 * Temporal retries the task again and again: how a run looks stuck. Only scripts/e2e/run-view-truth.test.ts
 * bundles it, for a worker of its own.
 */
export async function runDag(): Promise<never> {
  throw new TypeError('a bug in the workflow code: cannot read properties of undefined');
}
