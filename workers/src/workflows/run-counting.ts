import type { RunDagInput } from '@flowforge/connectors-sdk/contract';
import {
  ContinueAsNew,
  isCancellation,
  proxySinks,
  type Sinks,
  type WorkflowInterceptorsFactory,
  workflowInfo,
} from '@temporalio/workflow';

/** How a run ended, as the worker sees it (a server-side timeout or a termination never reaches it). */
export type FinishedRunStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED';

/**
 * What runDag tells the worker about its runs (workers/src/observability/run-metrics-sinks.ts). A
 * sink produces no command and, by default, is not called while a run replays: the worker counts
 * each run start and end once, however often the run is replayed from its history.
 */
export interface RunCountingSinks extends Sinks {
  runCounting: {
    started(trigger: string): void;
    finished(status: FinishedRunStatus): void;
  };
}

const { runCounting } = proxySinks<RunCountingSinks>();

/**
 * A workflow interceptor module (WorkerOptions.interceptors.workflowModules): counts runDag runs where
 * every run passes, whoever started it (the control plane, a webhook, a Temporal Schedule, a parent
 * run). A continue-as-new execution is the same run: it is counted started once (its first
 * execution) and finished once (its last).
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const info = workflowInfo();
  if (info.workflowType !== 'runDag') return {};
  return {
    inbound: [
      {
        async execute(input, next) {
          if (info.continuedFromExecutionRunId === undefined) runCounting.started(triggerOf(input.args[0]));
          try {
            const result = await next(input);
            runCounting.finished('COMPLETED');
            return result;
          } catch (error) {
            if (!(error instanceof ContinueAsNew)) runCounting.finished(isCancellation(error) ? 'CANCELLED' : 'FAILED');
            throw error;
          }
        },
      },
    ],
  };
};

/** A child or error run carries its top-level run's request: its own kind is in `startedBy`. */
function triggerOf(argument: unknown): string {
  const input = argument as Partial<RunDagInput> | undefined;
  return input?.startedBy?.kind ?? input?.signed?.request?.trigger?.kind ?? 'unknown';
}
