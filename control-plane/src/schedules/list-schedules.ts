import { type DescriptorRegistry, FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { RunDagInput, ScheduleView } from '@flowforge/connectors-sdk/contract';
import { type Client, type ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import type { PrismaClient } from '../database.ts';
import { scheduleTriggers } from '../workflows/activation.ts';
import { scheduleIdOf } from './schedule-ids.ts';

export interface ScheduleListDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  registry: DescriptorRegistry;
}

/** A schedule an active version should have: where to find it on Temporal and what the file says. */
export interface ActiveSchedule {
  workflow: string;
  version: number;
  nodeId: string;
  scheduleId: string;
  /** The trigger node's parameters as the workflow file wrote them. */
  params: Record<string, unknown>;
}

/** The schedules of active workflows (of one, when named), by workflow name and node order. */
export async function activeSchedules(deps: ScheduleListDeps, workflow?: string): Promise<ActiveSchedule[]> {
  const workflows = await deps.prisma.workflow.findMany({
    where: { projectId: deps.projectId, activeVersionId: { not: null }, ...(workflow ? { name: workflow } : {}) },
    include: { activeVersion: { select: { version: true, definition: true } } },
    orderBy: { name: 'asc' },
  });
  return workflows.flatMap(({ name, activeVersion }) => {
    if (!activeVersion) return [];
    const dag = activeVersion.definition as unknown as WorkflowDefinition;
    return scheduleTriggers(deps.registry, dag).map(({ nodeId }) => ({
      workflow: name,
      version: activeVersion.version,
      nodeId,
      scheduleId: scheduleIdOf(deps.projectId, name, nodeId),
      params: dag.nodes.find((node) => node.id === nodeId)?.params ?? {},
    }));
  });
}

/**
 * What `schedules` answers: each active workflow's schedules as Temporal describes them (the
 * version its action starts, the trigger's parameters in that version, the next times, paused).
 */
export async function listSchedules(deps: ScheduleListDeps, workflow?: string): Promise<ScheduleView[]> {
  const schedules = await activeSchedules(deps, workflow);
  return Promise.all(schedules.map((schedule) => describeSchedule(deps.temporal, schedule)));
}

export async function describeSchedule(temporal: Client, schedule: ActiveSchedule): Promise<ScheduleView> {
  let description: ScheduleDescription;
  try {
    description = await temporal.schedule.getHandle(schedule.scheduleId).describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw unavailable(error);
    return {
      workflow: schedule.workflow,
      version: schedule.version,
      nodeId: schedule.nodeId,
      scheduleId: schedule.scheduleId,
      spec: schedule.params,
      nextRuns: [],
      paused: false,
      note: `Temporal has no schedule "${schedule.scheduleId}": activate the workflow again to make it`,
    };
  }
  // The action's (signed) arguments say what Temporal really starts: version and trigger as written then.
  const started = description.action.args?.[0] as RunDagInput | undefined;
  const node = started?.dag.nodes.find((candidate) => candidate.id === schedule.nodeId);
  return {
    workflow: schedule.workflow,
    version: started?.workflow.version ?? schedule.version,
    nodeId: schedule.nodeId,
    scheduleId: schedule.scheduleId,
    spec: node?.params ?? schedule.params,
    nextRuns: description.info.nextActionTimes.map((time) => time.toISOString()),
    paused: description.state.paused,
  };
}

/** The schedules of one active workflow; FF_NOT_FOUND (saying why) when it has none. */
export async function schedulesOf(deps: ScheduleListDeps, workflow: string): Promise<ActiveSchedule[]> {
  const schedules = await activeSchedules(deps, workflow);
  if (schedules.length > 0) return schedules;
  const found = await deps.prisma.workflow.findUnique({
    where: { projectId_name: { projectId: deps.projectId, name: workflow } },
    select: { activeVersionId: true },
  });
  if (!found) {
    throw new FlowForgeError('FF_NOT_FOUND', `no workflow named "${workflow}"`, {
      path: ['workflow'],
      hint: 'flowforge workflow list shows what exists',
    });
  }
  throw new FlowForgeError(
    'FF_NOT_FOUND',
    found.activeVersionId === null
      ? `workflow "${workflow}" is not active, so it has no schedules`
      : `the active version of workflow "${workflow}" has no trigger.schedule node`,
    {
      path: ['workflow'],
      hint:
        found.activeVersionId === null
          ? `activate a version with a trigger.schedule node: flowforge workflow activate ${workflow}`
          : 'add a trigger.schedule node, push and activate the new version; flowforge schedules list shows the schedules that exist',
    },
  );
}

export function unavailable(error: unknown): FlowForgeError {
  if (error instanceof FlowForgeError) return error;
  if (error instanceof ScheduleNotFoundError) {
    return new FlowForgeError('FF_NOT_FOUND', `Temporal has no schedule "${error.scheduleId}"`, {
      hint: 'activate the workflow again to make its schedules (flowforge workflow activate <name>)',
    });
  }
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal did not answer about schedules: ${(error as Error).message}`, {
    cause: error,
    hint: 'check that Temporal is running (GET /healthz names what is down), then try again',
  });
}
