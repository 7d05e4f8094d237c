/**
 * `@temporalio/workflow` with `patched()` that always answers true: runDag as if its patches were
 * not guarded. Only replay-pre-patch.test.ts bundles it (in place of dag-run.ts's import), to show
 * that the guard is what keeps old histories replaying.
 */
export * from '@temporalio/workflow';

export function patched(_patchId: string): boolean {
  return true;
}
