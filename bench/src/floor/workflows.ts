import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities.ts';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '1m' });

/** Temporal's floor: a chain of `length` activities that do nothing, in the simplest workflow. */
export async function noopChain(length: number): Promise<number> {
  let value = 0;
  for (let i = 0; i < length; i++) value = await noop(value);
  return value;
}
