import { createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import {
  type RunDagInput,
  RunDagInputSchema,
  scheduledTimeOf,
  TEMPORAL_SCHEDULED_BY_ID,
  TEMPORAL_SCHEDULED_START_TIME,
  type Trigger,
} from '@flowforge/connectors-sdk/contract';
import { contentHash, type RunRequest, verifyRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { Client } from '@temporalio/client';
import { currentRequestId } from '../audit/request-context.ts';
import type { PrismaClient } from '../database.ts';
import { DEFAULT_PROJECT } from '../workspace.ts';

export interface UnseenRunDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  signingKey: KeyObject;
}

interface RunRow {
  runId: string;
  versionId: string;
  trigger: Trigger;
  inputHash: string;
  startedAt: Date;
}

/**
 * Writes a run's row and its `run.start` audit event in one statement (so both or neither). Two
 * writers may meet the same run at once (a view and a listing, or a start and a view): the first
 * row wins and the second writes nothing, audit included. True when this call wrote the row.
 *
 * SQL rather than the client's createMany + create in an interactive transaction: this is on every
 * start, and one round trip without the query compiler is cheaper than four with it (Prisma was
 * ~30 % of the control plane's CPU per webhook; docs/PERFORMANCE.md, "Webhooks"). Times are stored
 * as Prisma stores them: UTC wall time.
 */
export async function recordRun(
  deps: Pick<UnseenRunDeps, 'prisma'>,
  row: RunRow,
  actor: string,
  audit: Record<string, unknown>,
): Promise<boolean> {
  const written = await deps.prisma.$queryRaw<Array<{ id: string }>>`
    WITH created AS (
      INSERT INTO "Run" ("id", "versionId", "status", "trigger", "inputHash", "startedAt")
      VALUES (${row.runId}, ${row.versionId}, 'RUNNING', ${JSON.stringify(row.trigger)}::jsonb, ${row.inputHash},
              ${row.startedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ON CONFLICT ("id") DO NOTHING
      RETURNING "id"
    )
    INSERT INTO "AuditEvent" ("id", "actor", "action", "target", "project", "requestId", "data", "at")
    SELECT ${randomUUID()}, ${actor}, 'run.start', ${`run:${row.runId}`}, ${DEFAULT_PROJECT},
           ${currentRequestId() ?? null}, ${JSON.stringify(audit)}::jsonb,
           ${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC'
    FROM created
    RETURNING "id"`;
  return written.length > 0;
}

/**
 * The `runDag` input a run started with and when, from the first event of its latest execution
 * (continue-as-new passes the same input on), or of the execution `executionRunId` names. Throws
 * when Temporal cannot say.
 */
export async function runDagStartOf(client: Client, runId: string, executionRunId?: string): Promise<RunDagStart> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: runId, ...(executionRunId ? { runId: executionRunId } : {}) },
    maximumPageSize: 1,
  });
  const event = history?.events?.[0];
  const payload = event?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error('its history has no start event');
  const raw = client.options.loadedDataConverter.payloadConverter.fromPayload<RunDagInput>(payload);
  const seconds = Number(event?.eventTime?.seconds ?? 0);
  const fields = event?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {};
  const attribute = (name: string): string | undefined => {
    const data = fields[name]?.data;
    if (!data) return undefined;
    try {
      const value: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
      const first = Array.isArray(value) ? value[0] : value;
      return typeof first === 'string' ? first : undefined;
    } catch {
      return undefined;
    }
  };
  // `raw` is what was signed and hashed (parsing may fill defaults in); `input` is its checked shape.
  return {
    input: RunDagInputSchema.parse(raw),
    raw,
    at: seconds > 0 ? new Date(seconds * 1000) : new Date(),
    scheduledById: attribute(TEMPORAL_SCHEDULED_BY_ID),
    scheduledStartTime: isoTime(attribute(TEMPORAL_SCHEDULED_START_TIME)),
  };
}

/** Temporal writes datetimes as RFC 3339 without milliseconds; runs show them as JavaScript's ISO strings. */
function isoTime(value: string | undefined): string | undefined {
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export interface RunDagStart {
  input: RunDagInput;
  raw: RunDagInput;
  at: Date;
  /** Temporal's TemporalScheduledById and TemporalScheduledStartTime of a run a Schedule started. */
  scheduledById?: string | undefined;
  scheduledStartTime?: string | undefined;
}

/**
 * Runs that Temporal has and the Run table does not: child runs (core.executeWorkflow) and error
 * runs, which a run's workflow starts, and a run whose start was accepted while its row could not
 * be written (runs/start-run.ts). Each gets its row and `run.start` audit event the first time
 * the control plane meets its id (a run view, `runs`, approvals), from what the run carries in
 * Temporal. Ids of runs that are not this project's (or not signed by this control plane) are
 * ignored. Returns the ids recorded now.
 */
export async function recordUnseenRuns(deps: UnseenRunDeps, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await deps.prisma.run.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  const known = new Set(rows.map((run) => run.id));
  const recorded: string[] = [];
  for (const runId of ids.filter((id) => !known.has(id))) {
    if (await recordUnseenRun(deps, runId)) recorded.push(runId);
  }
  return recorded;
}

/**
 * A run's row with its version and workflow; a run Temporal has but the table does not is recorded
 * first. Undefined when the control plane has no such run (callers check the project).
 */
export async function findRun(deps: UnseenRunDeps, runId: string) {
  const find = () =>
    deps.prisma.run.findUnique({ where: { id: runId }, include: { version: { include: { workflow: true } } } });
  const run = await find();
  if (run) return run;
  // Read again whoever wrote the row: this call, or a start whose own write was a moment late.
  await recordUnseenRuns(deps, [runId]);
  return (await find()) ?? undefined;
}

async function recordUnseenRun(deps: UnseenRunDeps, runId: string): Promise<boolean> {
  let start: RunDagStart;
  try {
    start = await runDagStartOf(deps.temporal, runId);
  } catch {
    return false;
  }
  const { input, raw, at } = start;
  const origin = originOf(deps, runId, start);
  if (!origin) return false;
  const version = await deps.prisma.workflowVersion.findFirst({
    where: { version: input.workflow.version, workflow: { projectId: deps.projectId, name: input.workflow.name } },
  });
  if (!version) return false;
  const inputHash = contentHash(raw.input ?? null);
  return recordRun(
    deps,
    { runId, versionId: version.id, trigger: origin.trigger, inputHash, startedAt: at },
    origin.actor,
    {
      workflow: input.workflow.name,
      version: input.workflow.version,
      inputHash,
      trigger: origin.trigger,
      recordedLate: true,
    },
  );
}

/**
 * Who started a run found in Temporal: its parent run (a child or error run), or, for a top-level
 * run, the caller its request names, once the request is verified as this control plane's own.
 */
function originOf(
  deps: UnseenRunDeps,
  runId: string,
  start: RunDagStart,
): { trigger: Trigger; actor: string } | undefined {
  const input = start.raw;
  const startedBy = input.startedBy;
  if (startedBy) {
    const trigger: Trigger = {
      kind: startedBy.kind,
      parentRun: startedBy.runId,
      ...(startedBy.nodeId ? { by: `node:${startedBy.nodeId}` } : {}),
    };
    return { trigger, actor: `run:${startedBy.runId}` };
  }
  try {
    const request = verifyRunRequest(
      input.signed,
      input.dag,
      input.input,
      createPublicKey(deps.signingKey),
      input.reuse,
      input.linked,
    );
    if (request.trigger.kind === 'schedule') return scheduledOrigin(runId, request, start);
    if (request.runId !== runId) return undefined;
    return { trigger: request.trigger, actor: request.trigger.by ?? 'control-plane' };
  } catch {
    return undefined;
  }
}

/**
 * A run of a Temporal Schedule: its request was signed for the schedule (runId = the action's
 * workflow id), its id adds the scheduled time, and Temporal says which schedule started it and when
 * it was due. The worker checks the schedule's own record too before anything runs
 * (workers/src/activities/verify-scheduled-run.ts); the row only says what the run claims.
 */
function scheduledOrigin(
  runId: string,
  request: RunRequest,
  start: RunDagStart,
): { trigger: Trigger; actor: string } | undefined {
  const idTime = scheduledTimeOf(runId, request.runId);
  const schedule = request.trigger.schedule;
  if (idTime === undefined || !schedule || start.scheduledById !== schedule.id) return undefined;
  return {
    trigger: { ...request.trigger, scheduledAt: start.scheduledStartTime ?? idTime },
    actor: `schedule:${schedule.id}`,
  };
}
