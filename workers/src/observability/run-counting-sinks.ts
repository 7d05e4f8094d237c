import type { InjectedSinks } from '@temporalio/worker';
import type { RunCountingSinks } from '../workflows/run-counting.ts';
import type { WorkerMetrics } from './metrics.ts';

/**
 * The worker's side of workflows/run-counting.ts. Registered whether metrics are on or not: a sink
 * the workflow calls must exist, and with metrics off it costs two empty calls per run.
 */
export function runCountingSinks(metrics: WorkerMetrics | undefined): InjectedSinks<RunCountingSinks> {
  return {
    runCounting: {
      started: { fn: (_info, trigger) => metrics?.runStarted(trigger) },
      finished: { fn: (_info, status) => metrics?.runFinished(status) },
    },
  };
}
