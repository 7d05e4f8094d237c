import type { ScheduleView, TriggeredSchedule } from '@flowforge/connectors-sdk/contract';
import { recordAudit } from '../audit.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import {
  type ActiveSchedule,
  listSchedules,
  type ScheduleListDeps,
  schedulesOf,
  unavailable,
} from './list-schedules.ts';

/** How long `triggerSchedules` looks for the run Temporal started, to answer its id. */
const TRIGGERED_RUN_WAIT_MS = 10_000;

/** Pauses every schedule of the workflow (no run starts until resumed). Audited as `schedule.pause`. */
export async function pauseSchedules(
  deps: ScheduleListDeps,
  workflow: string,
  actor: string,
  note?: string | null,
): Promise<ScheduleView[]> {
  const schedules = await schedulesOf(deps, workflow);
  await eachSchedule(deps, schedules, (handle) => handle.pause(note ?? `paused by ${actor}`));
  await audit(deps, actor, 'schedule.pause', workflow, schedules, note ? { note } : {});
  return listSchedules(deps, workflow);
}

/** Resumes every schedule of the workflow. Audited as `schedule.resume`. */
export async function resumeSchedules(
  deps: ScheduleListDeps,
  workflow: string,
  actor: string,
): Promise<ScheduleView[]> {
  const schedules = await schedulesOf(deps, workflow);
  await eachSchedule(deps, schedules, (handle) => handle.unpause(`resumed by ${actor}`));
  await audit(deps, actor, 'schedule.resume', workflow, schedules);
  return listSchedules(deps, workflow);
}

/**
 * Starts one run now per schedule of the workflow (Temporal's trigger, allowed to overlap a running
 * one, paused or not), as a run of that schedule: signed and verified like the ones it starts on
 * time. Answers each run's id once the schedule lists it. Audited as `schedule.trigger`.
 */
export async function triggerSchedules(
  deps: ScheduleListDeps,
  workflow: string,
  actor: string,
): Promise<TriggeredSchedule[]> {
  const schedules = await schedulesOf(deps, workflow);
  const triggered: TriggeredSchedule[] = [];
  for (const schedule of schedules) {
    const handle = deps.temporal.schedule.getHandle(schedule.scheduleId);
    try {
      const seen = new Set((await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
      await handle.trigger();
      triggered.push({ ...pick(schedule), runId: await newRun(handle, seen) });
    } catch (error) {
      throw unavailable(error);
    }
  }
  await audit(deps, actor, 'schedule.trigger', workflow, schedules, {
    runs: triggered.map((run) => run.runId),
  });
  return triggered;
}

type Handle = ReturnType<ScheduleListDeps['temporal']['schedule']['getHandle']>;

async function newRun(handle: Handle, seen: Set<string>): Promise<string | null> {
  const deadline = Date.now() + TRIGGERED_RUN_WAIT_MS;
  while (Date.now() < deadline) {
    const fresh = (await handle.describe()).info.recentActions
      .map((action) => action.action.workflow.workflowId)
      .find((id) => !seen.has(id));
    if (fresh) return fresh;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function eachSchedule(
  deps: ScheduleListDeps,
  schedules: ActiveSchedule[],
  act: (handle: Handle) => Promise<void>,
): Promise<void> {
  try {
    for (const schedule of schedules) await act(deps.temporal.schedule.getHandle(schedule.scheduleId));
  } catch (error) {
    throw unavailable(error);
  }
}

function pick(schedule: ActiveSchedule) {
  return { workflow: schedule.workflow, version: schedule.version, nodeId: schedule.nodeId };
}

function audit(
  deps: ScheduleListDeps,
  actor: string,
  action: string,
  workflow: string,
  schedules: ActiveSchedule[],
  data: Record<string, unknown> = {},
) {
  return recordAudit(deps.prisma, {
    actor,
    action,
    target: `workflow:${workflow}`,
    data: { schedules: schedules.map((schedule) => schedule.scheduleId), ...data } as Prisma.InputJsonValue,
  });
}
