import { indexLoopGraph, type SerializedError, type WorkflowGraph } from '@flowforge/connectors-sdk';
import {
  type NodeState,
  RUN_STATE_QUERY,
  type RunDagInput,
  type RunDagResult,
  type RunState,
  TEMPORAL_SCHEDULED_BY_ID,
  TEMPORAL_SCHEDULED_START_TIME,
} from '@flowforge/connectors-sdk/contract';
import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  ContinueAsNew,
  condition,
  defineQuery,
  isCancellation,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExecutionFacts, FlowForgeActivities, VerifiedRun } from '../activities/contract.ts';
import { startErrorRun } from './child-runs.ts';
import { DagRun, now } from './dag-run.ts';
import { NodeStates } from './node-states.ts';
import { applyReuse, installRunControl } from './run-control.ts';
import { emitRunEvent } from './run-events.ts';
import { WebhookResponder } from './webhook-response.ts';

export const runStateQuery = defineQuery<RunState>(RUN_STATE_QUERY);

const { verifyRunRequest } = proxyLocalActivities<FlowForgeActivities>({
  startToCloseTimeout: '30s',
  // Non-retryable failures (a bad signature) fail at once; a crash of the check itself may retry.
  retry: { maximumAttempts: 3 },
});

/**
 * One run of a workflow version: verifies the signed request, then walks the DAG, running every
 * ready node as its own `executeNode` activity. Everything here is deterministic; the scheduling
 * decisions are the pure functions of ../interpreter.
 */
export async function runDag(input: RunDagInput): Promise<RunDagResult> {
  const state: RunState = {
    status: 'RUNNING',
    nodes: input.carried?.nodes ?? initialNodes(input),
    ...(input.carried?.paused ? { paused: true } : {}),
  };
  const nodes = new NodeStates(state);
  setHandler(runStateQuery, () => state);
  installRunControl(state);
  const responder = new WebhookResponder(state);
  let verified: VerifiedRun | undefined;
  // A continued execution is the same run: it started once.
  if (!input.carried) emitRunEvent({ event: 'run.started', at: now(), workflow: input.workflow });
  try {
    verified = await verify(input, state);
    applyReuse(input, nodes, now());
    const graph = indexLoopGraph(input.dag);
    await new DagRun(input, graph, state, nodes, verified, responder).run();
    state.status = 'COMPLETED';
    await handlersFinished();
    emitRunEvent({ event: 'run.completed', at: now(), workflow: input.workflow });
    return runResult(graph, state);
  } catch (error) {
    if (isCancellation(error)) {
      state.status = 'CANCELLED';
      state.error = {
        code: 'FF_CANCELLED',
        message: 'the run was cancelled',
        hint: 'flowforge runs retry <runId> starts it again, reusing what succeeded',
        retryable: false,
      };
      nodes.markUnfinished('the run was cancelled', now());
    } else if (verified && !(error instanceof ContinueAsNew)) {
      // Only a verified run may start its error workflow: its linked versions are signed.
      await startErrorRun(input, state, error);
    }
    if (!(error instanceof ContinueAsNew)) {
      await handlersFinished();
      const event = isCancellation(error) ? 'run.cancelled' : 'run.failed';
      emitRunEvent({ event, at: now(), workflow: input.workflow });
    }
    throw error;
  }
}

/**
 * Lets update handlers still running (a webhook request waiting for its answer) see that the run
 * ended and reply before it closes. No command: replays of runs that had none are unchanged.
 */
function handlersFinished(): Promise<void> {
  return CancellationScope.nonCancellable(() => condition(allHandlersFinished));
}

function initialNodes(input: RunDagInput): Record<string, NodeState> {
  return Object.fromEntries(input.dag.nodes.map((node) => [node.id, { status: 'pending', attempts: 0 }]));
}

async function verify(input: RunDagInput, state: RunState): Promise<VerifiedRun> {
  try {
    return await verifyRunRequest({
      signed: input.signed,
      dag: input.dag,
      input: input.input,
      ...(input.reuse ? { reuse: input.reuse } : {}),
      workflowId: workflowInfo().workflowId,
      ...(input.linked ? { linked: input.linked } : {}),
      ...(input.startedBy ? { startedBy: input.startedBy, parentWorkflowId: workflowInfo().parent?.workflowId } : {}),
      execution: executionFacts(),
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    // The local activity's ApplicationFailure, whether it arrives bare or wrapped in an ActivityFailure.
    const cause =
      error instanceof ApplicationFailure
        ? error
        : error instanceof Error && error.cause instanceof ApplicationFailure
          ? error.cause
          : undefined;
    const type = cause?.type ?? 'FF_RUN_SIGNATURE';
    const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
    state.status = 'FAILED';
    state.error = { code: type as SerializedError['code'], message, retryable: false };
    throw ApplicationFailure.create({ type, message, nonRetryable: true });
  }
}

/**
 * How Temporal says this execution started, for the checks of a scheduled run. The local activity's
 * input never enters history, so runs recorded before this was passed replay unchanged. Search
 * attributes are read whatever type a client gave them (a forged one may be a list).
 */
function executionFacts(): ExecutionFacts {
  const info = workflowInfo();
  const attributes = info.typedSearchAttributes.getAll();
  const attribute = (name: string): string | undefined => {
    const raw: unknown = attributes.find((pair) => pair.key.name === name)?.value;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'string' ? value : undefined;
  };
  return {
    firstExecutionRunId: info.firstExecutionRunId,
    continuedFromExecutionRunId: info.continuedFromExecutionRunId,
    startTime: info.startTime.toISOString(),
    scheduledById: attribute(TEMPORAL_SCHEDULED_BY_ID),
    scheduledStartTime: attribute(TEMPORAL_SCHEDULED_START_TIME),
  };
}

/** The run's result: the outputs of its sink nodes (those with no outgoing edges). */
function runResult(graph: WorkflowGraph, state: RunState): RunDagResult {
  const outputs: RunDagResult['outputs'] = {};
  for (const id of graph.order) {
    const output = state.nodes[id]?.output;
    if ((graph.outgoing.get(id) ?? []).length === 0 && output) outputs[id] = output;
  }
  return { status: 'COMPLETED', outputs };
}
