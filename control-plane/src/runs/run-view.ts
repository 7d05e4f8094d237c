import type { KeyObject } from 'node:crypto';
import { type ErrorCode, FlowForgeError, type SerializedError } from '@flowforge/connectors-sdk';
import type {
  NodeState,
  NodeView,
  NodeWaitView,
  RunState,
  RunStatus,
  RunView,
  Trigger,
} from '@flowforge/connectors-sdk/contract';
import { TriggerSchema } from '@flowforge/connectors-sdk/contract';
import { type Client, type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import type { PrismaClient } from '../database.ts';
import { resumeUrl } from '../webhook-resume/resume-token.ts';
import { readRunState } from './run-state-source.ts';
import { findRun, recordUnseenRuns } from './unseen-runs.ts';

export type { RunView } from '@flowforge/connectors-sdk/contract';

export interface RunViewDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  /** Signs the resume URLs of nodes waiting for their webhook, and checks runs found in Temporal only. */
  signingKey: KeyObject;
  /** Makes resume URLs absolute (`http://host:port`); without it they are paths. */
  baseUrl?: string | undefined;
}

/** Longest server-side wait one request may ask for; the CLI asks again for longer waits. */
export const MAX_WAIT_SECONDS = 120;
/**
 * Reads a run from Temporal, the system of record: status from describe(), node states from the
 * run's `runState` query, or its history when no worker answers (./run-state-source.ts). With `waitSeconds`, first waits for the run to end (the workflow result
 * raced with a timer: Temporal long-polls, nothing here polls). Updates the Run projection when it
 * sees the run ended.
 */
export async function getRunView(deps: RunViewDeps, runId: string, waitSeconds = 0): Promise<RunView> {
  const run = await findRun(deps, runId);
  if (!run || run.version.workflow.projectId !== deps.projectId) {
    throw new FlowForgeError('FF_NOT_FOUND', `no run with id "${runId}"`, {
      path: ['id'],
      hint: 'flowforge runs list shows recent runs',
    });
  }
  const handle = deps.temporal.workflow.getHandle(runId);
  if (waitSeconds > 0) await waitForEnd(deps.temporal, handle, Math.min(waitSeconds, MAX_WAIT_SECONDS));

  const workflow = { name: run.version.workflow.name, version: run.version.version };
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw unavailable(error);
    return {
      runId,
      status: run.status as RunStatus,
      workflow,
      nodes: {},
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString(),
      note: 'Temporal no longer knows this run (its history was removed); status is the last one recorded',
      ...triggerOf(run.trigger),
    };
  }
  const status = runStatusOf(description.status.name);
  const { state, note } = await readRunState(deps.temporal, handle, description, status);
  const error = state?.error ?? (await endedError(status, handle));
  const finishedAt = status === 'RUNNING' ? undefined : (description.closeTime ?? new Date());
  if (status !== run.status) {
    await deps.prisma.run.update({ where: { id: runId }, data: { status, finishedAt: finishedAt ?? null } });
  }
  await recordUnseenRuns(deps, childRunsOf(state));
  return {
    runId,
    status,
    workflow,
    nodes: nodeViews(state?.nodes ?? {}, (nodeId, since) => webhookUrl(deps, runId, nodeId, since)),
    error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString(),
    note,
    paused: status === 'RUNNING' && state?.paused === true,
    reused: Object.keys(state?.nodes ?? {}).filter((id) => state?.nodes[id]?.reused),
    ...(state?.errorRun ? { errorRun: state.errorRun } : {}),
    ...triggerOf(run.trigger),
  };
}

/** The Run record's trigger (how the run started), when it reads as one. */
function triggerOf(recorded: unknown): { trigger?: Trigger } {
  const parsed = TriggerSchema.safeParse(recorded);
  return parsed.success ? { trigger: parsed.data } : {};
}

/**
 * The run's result raced with a timer. The timer aborts the result's long poll rather than leaving
 * it pending, so a CLI waiting on a days-long run does not pile up open polls here.
 */
async function waitForEnd(client: Client, handle: Handle, seconds: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  try {
    await client.withAbortSignal(controller.signal, () => handle.result());
  } catch {
    // Ended badly, or the time passed: either way describe() below says which.
  } finally {
    clearTimeout(timer);
  }
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

/** Temporal's execution status → the run status FlowForge shows. */
export function runStatusOf(name: WorkflowExecutionDescription['status']['name']): RunStatus {
  switch (name) {
    case 'COMPLETED':
      return 'COMPLETED';
    case 'FAILED':
      return 'FAILED';
    case 'CANCELLED':
    case 'TERMINATED':
      // Terminated runs were stopped by an operator: to a user that is a cancellation.
      return 'CANCELLED';
    case 'TIMED_OUT':
      return 'TIMED_OUT';
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
    case 'UNSPECIFIED':
    case 'PAUSED':
    case 'UNKNOWN':
      return 'RUNNING';
    default: {
      const unknown: never = name;
      return unknown;
    }
  }
}

/**
 * Why an ended run did not complete, when its own state does not say (no worker answered, or the
 * server ended it): a cancellation and a run timeout are named as such, a failure by its code.
 */
async function endedError(status: RunStatus, handle: Handle): Promise<SerializedError | undefined> {
  switch (status) {
    case 'RUNNING':
    case 'COMPLETED':
      return undefined;
    case 'CANCELLED':
      return { code: 'FF_CANCELLED', message: 'the run was cancelled', retryable: false };
    case 'TIMED_OUT':
      return {
        code: 'FF_RUN_TIMEOUT',
        message: "the run passed its workflow's settings.timeout and was stopped",
        hint: 'raise settings.timeout in the workflow file, or make the run faster',
        retryable: false,
      };
    case 'FAILED':
      return failureOf(handle);
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

async function failureOf(handle: Handle): Promise<SerializedError | undefined> {
  try {
    await handle.result();
    return undefined;
  } catch (error) {
    const cause = (error as { cause?: { type?: string; message?: string } }).cause;
    const type = cause?.type ?? '';
    const code: ErrorCode = /^FF_[A-Z_]+$/.test(type) ? (type as ErrorCode) : 'FF_INTERNAL';
    return { code, message: cause?.message ?? (error as Error).message, retryable: false };
  }
}

/** The runs this one started: its core.executeWorkflow children and its error run. */
function childRunsOf(state: RunState | undefined): string[] {
  const ids = Object.values(state?.nodes ?? {}).flatMap((node) => (node.childRun ? [node.childRun] : []));
  return state?.errorRun ? [...ids, state.errorRun] : ids;
}

function nodeViews(nodes: Record<string, NodeState>, urlOf: ResumeUrlOf): Record<string, NodeView> {
  const views: Record<string, NodeView> = {};
  for (const [id, node] of Object.entries(nodes)) {
    // Pending nodes are not part of the contract: a node shows up once it has started.
    if (node.status === 'pending') continue;
    const view: NodeView = {
      status: node.status,
      output: node.output ?? {},
      attempts: node.attempts,
      ...(node.error ? { error: node.error } : {}),
      ...(node.status === 'waiting' ? waitView(id, node, urlOf) : {}),
      ...(node.reused ? { reused: true as const } : {}),
      ...(node.childRun ? { childRun: node.childRun } : {}),
      ...(node.loop ? { loop: node.loop } : {}),
      ...(node.iteration ? { iteration: node.iteration } : {}),
    };
    views[id] = view;
  }
  return views;
}

type ResumeUrlOf = (nodeId: string, since: string) => string;

function webhookUrl(deps: RunViewDeps, runId: string, nodeId: string, since: string): string {
  if (!deps.signingKey) return '';
  return resumeUrl({ kind: 'webhook-resume', runId, nodeId, since }, deps.signingKey, deps.baseUrl);
}

function waitView(id: string, node: NodeState, urlOf: ResumeUrlOf): { waiting?: NodeWaitView } {
  if (node.waitingFor?.kind === 'webhook') {
    const { since, until } = node.waitingFor;
    return { waiting: { for: 'webhook', url: urlOf(id, since), since, ...(until !== undefined ? { until } : {}) } };
  }
  if (node.waitingFor?.kind === 'subworkflow') {
    const { kind: _kind, ...wait } = node.waitingFor;
    return { waiting: { for: 'subworkflow', ...wait } };
  }
  if (node.waitingFor) {
    const { kind: _kind, ...wait } = node.waitingFor;
    return { waiting: { for: 'approval', ...wait } };
  }
  return node.waitingUntil ? { waiting: { for: 'timer', since: node.startedAt, until: node.waitingUntil } } : {};
}

function unavailable(cause: unknown): FlowForgeError {
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal could not describe the run: ${(cause as Error).message}`, {
    cause,
    hint: 'check that Temporal is running (GET /healthz names what is down)',
  });
}
