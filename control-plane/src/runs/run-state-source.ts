import { RUN_STATE_QUERY, type RunState, RunStateSchema, type RunStatus } from '@flowforge/connectors-sdk/contract';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
// CommonJS: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { nodeStatesFromHistory } from './history-states.ts';

type Handle = ReturnType<Client['workflow']['getHandle']>;
const { temporal } = proto;

/** How long a `runState` query may take: without a worker, Temporal would hold it much longer. */
const QUERY_DEADLINE_MS = 3_000;

export interface RunStateRead {
  state?: RunState;
  /** Why the states are missing or rebuilt, or what a run that shows no progress waits for. */
  note?: string;
}

/**
 * A run's node states for its view. The run answers its `runState` query (the system of record);
 * when no worker answers in time, a finished run's states are rebuilt from its history, and a
 * running one gets a note that says which it is: stuck on a failing workflow task (with
 * Temporal's cause), without a worker polling its task queue, or with busy workers.
 */
export async function readRunState(
  client: Client,
  handle: Handle,
  description: WorkflowExecutionDescription,
  status: RunStatus,
): Promise<RunStateRead> {
  // Started and scheduled, nothing more: no worker has picked the run up, so none can answer a query.
  if (status === 'RUNNING' && description.historyLength <= 2) {
    return { note: await notPickedUp(client, description) };
  }
  try {
    const answer = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(RUN_STATE_QUERY));
    return { state: RunStateSchema.parse(answer) };
  } catch (error) {
    const why = firstLine(error);
    if (status !== 'RUNNING') {
      const nodes = await nodeStatesFromHistory(client, handle);
      return {
        state: { status, nodes },
        note: `no worker answered within ${QUERY_DEADLINE_MS / 1000} s (${why}), so the node states were rebuilt from the run's history: a skipped node is not shown, and a waiting node shows what its activity returned`,
      };
    }
    return { note: await whyNoAnswer(client, handle, description, why) };
  }
}

async function notPickedUp(client: Client, description: WorkflowExecutionDescription): Promise<string> {
  const pollers = await pollerCount(client, description.taskQueue);
  if (pollers === 0) return noWorker(description.taskQueue);
  return `waiting for a worker on task queue "${description.taskQueue}" to pick the run up (${pollers} polling)`;
}

async function whyNoAnswer(
  client: Client,
  handle: Handle,
  description: WorkflowExecutionDescription,
  why: string,
): Promise<string> {
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (attempt > 1) {
    const failure = await lastWorkflowTaskFailure(client, handle.workflowId);
    return `the run is stuck: its workflow task failed ${attempt - 1} time${attempt === 2 ? '' : 's'}${failure ? ` (${failure})` : ''}; flowforge runs cancel ${handle.workflowId} ends it`;
  }
  const pollers = await pollerCount(client, description.taskQueue);
  if (pollers === 0) return noWorker(description.taskQueue);
  return `the ${pollers} worker${pollers === 1 ? '' : 's'} on task queue "${description.taskQueue}" did not answer within ${QUERY_DEADLINE_MS / 1000} s (${why}): busy; the node states are missing from this view only, read it again`;
}

function noWorker(taskQueue: string): string {
  return `no worker polls task queue "${taskQueue}": start one there (npm start runs one on "flowforge")`;
}

/** Workers polling the queue for workflow tasks (Temporal forgets a poller a few minutes after it stops). */
async function pollerCount(client: Client, taskQueue: string): Promise<number | undefined> {
  try {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return response.pollers?.length ?? 0;
  } catch {
    return undefined;
  }
}

/** The cause and message of the run's last failed workflow task, read from the end of its history. */
async function lastWorkflowTaskFailure(client: Client, runId: string): Promise<string | undefined> {
  try {
    const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId: runId },
      maximumPageSize: 50,
    });
    for (const event of history?.events ?? []) {
      const failed = event.workflowTaskFailedEventAttributes;
      if (!failed) continue;
      const cause = temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause ?? 0] ?? 'unknown cause';
      const message = failed.failure?.message ? `: ${firstLine(failed.failure.message)}` : '';
      return `${cause.replace(/^WORKFLOW_TASK_FAILED_CAUSE_/, '')}${message}`;
    }
  } catch {
    // The note then says the run is stuck, without the cause.
  }
  return undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
