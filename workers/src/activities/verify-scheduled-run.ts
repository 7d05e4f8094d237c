import { FlowForgeError } from '@flowforge/connectors-sdk';
import { type ScheduleTriggerItem, scheduledTimeOf } from '@flowforge/connectors-sdk/contract';
import type { RunRequest } from '@flowforge/connectors-sdk/run-request';
import { Context } from '@temporalio/activity';
import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import type { ExecutionFacts, VerifyRunRequestInput } from './contract.ts';

/**
 * What Temporal's own Schedule says about a run: it lists the runs it started (the recent ones and
 * those still running) by workflow id and first execution's run id, in the scheduler's state,
 * which only the schedule's own actions write. `not-listed` may only mean "not yet": the
 * scheduler records a start just after Temporal accepted it.
 */
export type ScheduleRecords = (
  scheduleId: string,
  run: { workflowId: string; firstExecutionRunId: string },
) => Promise<'started' | 'not-listed' | 'no-schedule'>;

/** Reads the schedule with the worker's own Temporal client. */
export function scheduleRecordsOf(client: () => Client): ScheduleRecords {
  return async (scheduleId, run) => {
    let description: Awaited<ReturnType<ReturnType<Client['schedule']['getHandle']>['describe']>>;
    try {
      description = await client().schedule.getHandle(scheduleId).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return 'no-schedule';
      throw error;
    }
    const same = (execution: { workflowId: string; firstExecutionRunId: string }) =>
      execution.workflowId === run.workflowId && execution.firstExecutionRunId === run.firstExecutionRunId;
    const { recentActions, runningActions } = description.info;
    return recentActions.some((action) => same(action.action.workflow)) ||
      runningActions.some((action) => same(action.workflow))
      ? 'started'
      : 'not-listed';
  };
}

/** The worker's client, as the SDK hands it to activities (local ones included). */
export const workerScheduleRecords: ScheduleRecords = scheduleRecordsOf(() => Context.current().client);

export interface ScheduledRunChecks {
  records: ScheduleRecords;
  /**
   * How long a run the schedule does not list yet is looked for again. The scheduler records a start
   * in the workflow task that made it (the describe is a query, answered after that task), so in the
   * tests a real run was listed at the first look; a few seconds cover a slow scheduler and stay
   * under the 5 s after which the SDK warns about a local activity holding the workflow task. Default 3 s.
   */
  waitMs?: number;
}

/**
 * A run whose signed request was made for a Temporal Schedule (trigger kind 'schedule'). The
 * request itself is fixed for every run of the schedule (the action's arguments), so what makes a
 * run one of the schedule's is checked against Temporal, in this order:
 *
 * 1. its workflow id is the signed id plus a scheduled time (`<runId>-2026-12-01T09:00:00Z`);
 * 2. its TemporalScheduledById search attribute names the signed schedule and its
 *    TemporalScheduledStartTime is the time in its id. A plain client CAN set both when it starts a
 *    workflow (scripts/e2e/scheduled-run-forgery.test.ts shows it on the dev server), so this only
 *    turns naive copies away with a clear message; it proves nothing alone;
 * 3. the schedule itself lists the run (workflow id and first execution's run id) among the runs it
 *    started: the scheduler's state, which no client writes. A continued execution (continue-as-new,
 *    which only workflow code can ask for) was checked when its first execution started.
 *
 * Returns the trigger item `{ scheduledAt, firedAt, timezone }`. Throws FF_RUN_SIGNATURE.
 */
export async function verifyScheduledRun(
  request: RunRequest,
  input: Pick<VerifyRunRequestInput, 'workflowId' | 'execution'>,
  checks: ScheduledRunChecks,
): Promise<ScheduleTriggerItem> {
  const fail = (why: string): never => {
    throw new FlowForgeError('FF_RUN_SIGNATURE', `scheduled run request rejected: ${why}`, {
      hint: 'runs of a schedule are started by its Temporal Schedule (flowforge schedules trigger <workflow> starts one now)',
    });
  };
  const schedule = request.trigger.schedule ?? fail('it names no schedule');
  const facts: ExecutionFacts = input.execution ?? fail('the worker could not read how the run started');
  const idTime = scheduledTimeOf(input.workflowId, request.runId);
  if (idTime === undefined) {
    return fail(
      `it was signed for the runs of schedule "${schedule.id}" (${request.runId}-<time>), not for "${input.workflowId}"`,
    );
  }
  if (facts.scheduledById !== schedule.id) {
    return fail(
      `Temporal did not start "${input.workflowId}" for schedule "${schedule.id}" (TemporalScheduledById is ${
        facts.scheduledById === undefined ? 'not set' : `"${facts.scheduledById}"`
      })`,
    );
  }
  const scheduledAt = facts.scheduledStartTime;
  if (scheduledAt === undefined || Math.floor(Date.parse(scheduledAt) / 1000) * 1000 !== Date.parse(idTime)) {
    return fail(`its TemporalScheduledStartTime (${scheduledAt ?? 'not set'}) is not the time in its id (${idTime})`);
  }
  if (facts.continuedFromExecutionRunId === undefined) {
    await scheduleListsRun(checks, schedule.id, input.workflowId, facts.firstExecutionRunId, fail);
  }
  return { scheduledAt, firedAt: facts.startTime, timezone: schedule.timezone };
}

async function scheduleListsRun(
  checks: ScheduledRunChecks,
  scheduleId: string,
  workflowId: string,
  firstExecutionRunId: string,
  fail: (why: string) => never,
): Promise<void> {
  const deadline = Date.now() + (checks.waitMs ?? 3_000);
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    const found = await checks.records(scheduleId, { workflowId, firstExecutionRunId });
    if (found === 'started') return;
    if (found === 'no-schedule') fail(`schedule "${scheduleId}" does not exist (was its workflow deactivated?)`);
    if (Date.now() + pause > deadline) {
      fail(`schedule "${scheduleId}" does not list "${workflowId}" among the runs it started`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
