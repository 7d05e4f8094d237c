import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type * as activities from './activities.ts';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1m' });

/** Temporal's floor: a chain of `length` activities that do nothing, in the simplest workflow. */
export async function noopChain(length: number): Promise<number> {
  let value = 0;
  for (let i = 0; i < length; i++) value = await noop(value);
  return value;
}

const { noop: localNoop } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '1m' });

/** The same chain as local activities (run inside the workflow task's worker, no task queue round trip). */
export async function localNoopChain(length: number): Promise<number> {
  let value = 0;
  for (let i = 0; i < length; i++) value = await localNoop(value);
  return value;
}
