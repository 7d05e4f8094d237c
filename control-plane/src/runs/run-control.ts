import { FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import {
  PAUSE_UPDATE,
  RESUME_UPDATE,
  RUN_STATE_QUERY,
  type RunState,
  RunStateSchema,
  type RunStatus,
} from '@flowforge/connectors-sdk/contract';
import { contentHash } from '@flowforge/connectors-sdk/run-request';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { recordAudit } from '../audit.ts';
import { reusableOutputs } from './reusable-outputs.ts';
import { getRunView, type RunView, runStatusOf } from './run-view.ts';
import { launchRun, type StartRunDeps } from './start-run.ts';
import { runDagStartOf } from './unseen-runs.ts';

/**
 * Run control: cancel, pause, resume and retry. Temporal does the work (cancellation reaches
 * running activities through their heartbeats; pause/resume are updates of `runDag`); this module
 * checks the run may be controlled, records the audit event and answers with the run's view.
 */

/** How long cancelRun waits for the run to end, so its answer normally already says CANCELLED. */
const CANCEL_WAIT_SECONDS = 10;
/** An update needs a worker to run it: without one it would wait for ever. */
const UPDATE_DEADLINE_MS = 10_000;

export type RunControlDeps = StartRunDeps;

export interface RetriedRun {
  /** The new run (just started: RUNNING, no node started yet). */
  run: RunView;
  /** Nodes of the original run whose outputs the new run reuses instead of running them again. */
  reused: string[];
}

export async function cancelRun(deps: RunControlDeps, runId: string, actor: string): Promise<RunView> {
  await findRun(deps, runId);
  const handle = deps.temporal.workflow.getHandle(runId);
  await requireRunning(handle, runId, 'cancelled', 'flowforge runs show shows how it ended');
  try {
    await handle.cancel();
  } catch (error) {
    // Ended between the check and the request.
    if (error instanceof WorkflowNotFoundError) throw notRunning(runId, 'cancelled', 'it has just ended');
    throw unavailable('cancel', error);
  }
  await recordAudit(deps.prisma, { actor, action: 'run.cancel', target: `run:${runId}` });
  return getRunView(deps, runId, CANCEL_WAIT_SECONDS);
}

export function pauseRun(deps: RunControlDeps, runId: string, actor: string): Promise<RunView> {
  return updateRun(deps, runId, actor, PAUSE_UPDATE);
}

export function resumeRun(deps: RunControlDeps, runId: string, actor: string): Promise<RunView> {
  return updateRun(deps, runId, actor, RESUME_UPDATE);
}

async function updateRun(
  deps: RunControlDeps,
  runId: string,
  actor: string,
  update: typeof PAUSE_UPDATE | typeof RESUME_UPDATE,
): Promise<RunView> {
  await findRun(deps, runId);
  const handle = deps.temporal.workflow.getHandle(runId);
  const verb = update === PAUSE_UPDATE ? 'paused' : 'resumed';
  await requireRunning(handle, runId, verb, 'flowforge runs show shows how it ended');
  try {
    await deps.temporal.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.executeUpdate(update));
  } catch (error) {
    // The workflow's validator refused (the run is ending), or it ended before the update arrived.
    if (error instanceof WorkflowUpdateFailedError) throw notRunning(runId, verb, firstLine(error.cause ?? error));
    if (error instanceof WorkflowNotFoundError) throw notRunning(runId, verb, 'it has just ended');
    throw unavailable(update, error);
  }
  await recordAudit(deps.prisma, { actor, action: `run.${update}`, target: `run:${runId}` });
  return getRunView(deps, runId);
}

/**
 * Starts a new run of the same version and input that reuses the outputs of the nodes that
 * succeeded (see reusableOutputs). The reuse map is signed with the request (reuseHash), so a
 * worker refuses a map changed on the way. The original run must have ended without completing.
 */
export async function retryRun(deps: RunControlDeps, runId: string, actor: string): Promise<RetriedRun> {
  const original = await findRun(deps, runId);
  const handle = deps.temporal.workflow.getHandle(runId);
  const status = await statusOf(handle);
  if (status === 'GONE')
    throw notRunning(runId, 'retried', 'Temporal no longer has its history (input and node outputs)');
  if (status === 'RUNNING' || status === 'COMPLETED') {
    throw new FlowForgeError('FF_RUN_STATE', `run ${runId} cannot be retried: it is ${status}`, {
      path: ['id'],
      hint:
        status === 'RUNNING'
          ? `wait for it to end, or cancel it first: flowforge runs cancel ${runId}`
          : 'only a run that FAILED, was CANCELLED or TIMED_OUT can be retried; start a new one with flowforge run',
    });
  }
  const input = await runInputOf(deps.temporal, runId);
  if (contentHash(input ?? null) !== original.inputHash) {
    throw new FlowForgeError('FF_INTERNAL', `run ${runId}: the input in its history does not match its recorded hash`);
  }
  const state = await runStateOf(deps.temporal, handle, runId);
  const dag = original.version.definition as unknown as WorkflowDefinition;
  const reuse = reusableOutputs(dag, state.nodes);
  const reused = Object.keys(reuse);
  const started = await launchRun(
    deps,
    {
      workflow: original.version.workflow.name,
      version: original.version,
      input,
      trigger: { kind: 'retry', by: actor, retryOf: runId },
      reuse,
    },
    actor,
  );
  await recordAudit(deps.prisma, {
    actor,
    action: 'run.retry',
    target: `run:${runId}`,
    data: { retryRunId: started.runId, reused },
  });
  const run: RunView = {
    runId: started.runId,
    workflow: started.workflow,
    status: 'RUNNING',
    nodes: {},
    startedAt: started.startedAt.toISOString(),
    paused: false,
    reused,
  };
  return { run, reused };
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

/** The Run row, in the caller's project (the same not-found answer as getRunView). */
async function findRun(deps: RunControlDeps, runId: string) {
  const run = await deps.prisma.run.findUnique({
    where: { id: runId },
    include: { version: { include: { workflow: true } } },
  });
  if (!run || run.version.workflow.projectId !== deps.projectId) {
    throw new FlowForgeError('FF_NOT_FOUND', `no run with id "${runId}"`, {
      path: ['id'],
      hint: 'flowforge runs list shows recent runs',
    });
  }
  return run;
}

async function statusOf(handle: Handle): Promise<RunStatus | 'GONE'> {
  try {
    return runStatusOf((await handle.describe()).status.name);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'GONE';
    throw unavailable('describe', error);
  }
}

async function requireRunning(handle: Handle, runId: string, verb: string, hint: string): Promise<void> {
  const status = await statusOf(handle);
  if (status === 'RUNNING') return;
  throw notRunning(
    runId,
    verb,
    status === 'GONE' ? 'Temporal no longer knows it' : `it has already ended (${status})`,
    hint,
  );
}

function notRunning(runId: string, verb: string, why: string, hint = `flowforge runs show ${runId}`): FlowForgeError {
  return new FlowForgeError('FF_RUN_STATE', `run ${runId} cannot be ${verb}: ${why}`, { path: ['id'], hint });
}

/**
 * The run input, from the first event of the run's latest execution (continue-as-new passes the
 * same input on). The Run row keeps only its hash: the input itself lives in Temporal, like the
 * rest of the run.
 */
async function runInputOf(client: Client, runId: string): Promise<unknown> {
  try {
    return (await runDagStartOf(client, runId)).raw.input;
  } catch (error) {
    throw unavailable('read the input of', error);
  }
}

/** Node states come from the run itself (a query: on a closed run, a worker replays it to answer). */
async function runStateOf(client: Client, handle: Handle, runId: string): Promise<RunState> {
  try {
    const answer = await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () => handle.query(RUN_STATE_QUERY));
    return RunStateSchema.parse(answer);
  } catch (error) {
    throw new FlowForgeError(
      'FF_UNAVAILABLE',
      `run ${runId}: could not read which nodes succeeded (${firstLine(error)})`,
      { cause: error, hint: "a worker must run on the run's task queue to answer (npm start runs one)" },
    );
  }
}

function unavailable(what: string, cause: unknown): FlowForgeError {
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal could not ${what} the run: ${firstLine(cause)}`, {
    cause,
    hint: 'check that Temporal and a worker are running (GET /healthz names what is down)',
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
