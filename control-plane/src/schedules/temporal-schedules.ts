import { FlowForgeError, type ScheduleOverlap } from '@flowforge/connectors-sdk';
import {
  RUN_DAG_WORKFLOW,
  type RunDagInput,
  runDagStartOptions,
  WORKFLOW_NAME_KEY,
} from '@flowforge/connectors-sdk/contract';
import {
  type Client,
  ScheduleAlreadyRunning,
  type ScheduleDescription,
  type ScheduleHandle,
  ScheduleNotFoundError,
  type ScheduleOptions,
  type ScheduleOverlapPolicy,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import type { ActivatedVersion, ScheduleSync, ScheduleTrigger } from '../workflows/activation.ts';
import { scheduleIdOf } from './schedule-ids.ts';
import { type ScheduledRunInputDeps, scheduledRunInput } from './scheduled-run-input.ts';

export interface TemporalSchedulesDeps extends ScheduledRunInputDeps {
  temporal: Client;
  /** Where scheduled runs start; the workers listen on it. */
  taskQueue: string;
}

/** Temporal's duration type (an `ms` string or milliseconds), without depending on @temporalio/common. */
type Duration = NonNullable<NonNullable<ScheduleOptions['policies']>['catchupWindow']>;

const OVERLAP: Record<ScheduleOverlap, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  bufferOne: 'BUFFER_ONE',
  bufferAll: 'BUFFER_ALL',
  cancelOther: 'CANCEL_OTHER',
  allowAll: 'ALLOW_ALL',
};

/**
 * Activation's schedules on Temporal: one Temporal Schedule per trigger.schedule node (never a
 * cron loop of our own), created or updated to start the activated version, deleted when the
 * version that replaces it has no such node or the workflow is deactivated. Called inside the
 * activation's transaction: when Temporal refuses a step, what this call changed is undone (best
 * effort) and the error undoes the activation.
 */
export class TemporalSchedules implements ScheduleSync {
  readonly #deps: TemporalSchedulesDeps;

  constructor(deps: TemporalSchedulesDeps) {
    this.#deps = deps;
  }

  async activate(
    workflow: string,
    version: ActivatedVersion,
    schedules: ScheduleTrigger[],
    previous: ScheduleTrigger[],
  ): Promise<void> {
    const undo: Array<() => Promise<unknown>> = [];
    try {
      for (const trigger of schedules) {
        const input = await scheduledRunInput(this.#deps, workflow, version, trigger);
        await this.#upsert(scheduleOptionsOf(this.#deps, workflow, trigger, input), undo);
      }
      const kept = new Set(schedules.map((trigger) => trigger.nodeId));
      for (const old of previous) if (!kept.has(old.nodeId)) await this.#delete(workflow, old.nodeId);
    } catch (error) {
      for (const step of undo.reverse()) await step().catch(() => undefined);
      throw temporalRefused(error, `the schedules of "${workflow}" v${version.version}`);
    }
  }

  async deactivate(workflow: string, previous: ScheduleTrigger[]): Promise<void> {
    try {
      for (const old of previous) await this.#delete(workflow, old.nodeId);
    } catch (error) {
      throw temporalRefused(error, `the schedules of "${workflow}"`);
    }
  }

  /** Creates the schedule, or replaces an existing one's spec, policies and action (keeping it paused if it was). */
  async #upsert(options: ScheduleOptions, undo: Array<() => Promise<unknown>>): Promise<void> {
    const handle = this.#deps.temporal.schedule.getHandle(options.scheduleId);
    const before = await describeIfAny(handle);
    if (!before) {
      try {
        await this.#deps.temporal.schedule.create(options);
        undo.push(() => handle.delete());
        return;
      } catch (error) {
        // Made by an activation racing this one: update it like any existing schedule.
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      }
    }
    const { scheduleId: _id, memo: _memo, state, ...rest } = options;
    // A paused schedule stays paused (an operator's decision) with its note; the new version runs once resumed.
    await handle.update((current) => ({
      ...rest,
      state: current.state.paused ? { paused: true, note: current.state.note } : { paused: false, note: state?.note },
    }));
    if (before) undo.push(() => handle.update(() => before as unknown as ScheduleUpdateOptions));
  }

  async #delete(workflow: string, nodeId: string): Promise<void> {
    try {
      await this.#deps.temporal.schedule.getHandle(scheduleIdOf(this.#deps.projectId, workflow, nodeId)).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
}

/** The Temporal Schedule of one trigger: spec, policies and the signed runDag start. */
export function scheduleOptionsOf(
  deps: Pick<TemporalSchedulesDeps, 'projectId' | 'taskQueue'>,
  workflow: string,
  trigger: ScheduleTrigger,
  input: RunDagInput,
): ScheduleOptions {
  const start = runDagStartOptions({
    runId: input.signed.request.runId,
    workflow: input.workflow,
    settings: input.dag.settings ?? {},
    taskQueue: deps.taskQueue,
  });
  return {
    scheduleId: scheduleIdOf(deps.projectId, workflow, trigger.nodeId),
    spec: {
      // `every` and `catchupWindow` were validated as durations in the `ms` format Temporal reads.
      ...(trigger.cron
        ? { cronExpressions: [...trigger.cron] }
        : { intervals: [{ every: trigger.every as Duration }] }),
      timezone: trigger.timezone,
    },
    policies: {
      overlap: OVERLAP[trigger.overlap],
      ...(trigger.catchupWindow ? { catchupWindow: trigger.catchupWindow as Duration } : {}),
    },
    action: {
      type: 'startWorkflow',
      workflowType: RUN_DAG_WORKFLOW,
      args: [input],
      workflowId: start.workflowId,
      taskQueue: start.taskQueue,
      typedSearchAttributes: start.typedSearchAttributes,
      ...(start.workflowExecutionTimeout ? { workflowExecutionTimeout: start.workflowExecutionTimeout } : {}),
    },
    state: { note: `FlowForge: workflow "${workflow}" v${input.workflow.version}, node "${trigger.nodeId}"` },
    // Findable without its id (Temporal Web, `temporal schedule list --query "FlowForgeWorkflow = '<name>'"`).
    memo: { flowforge: { workflow, nodeId: trigger.nodeId } },
    typedSearchAttributes: [{ key: WORKFLOW_NAME_KEY, value: workflow }],
  };
}

async function describeIfAny(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

function temporalRefused(error: unknown, what: string): FlowForgeError {
  if (error instanceof FlowForgeError) return error;
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal did not take ${what}: ${(error as Error).message}`, {
    cause: error,
    hint: 'nothing changed; check that Temporal is running (GET /healthz names what is down), then try again',
  });
}
