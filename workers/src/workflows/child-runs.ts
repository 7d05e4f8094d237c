import type { Item, SerializedError, SubworkflowRequest } from '@flowforge/connectors-sdk';
import {
  type ErrorRunInput,
  isArtifactRef,
  type LinkedWorkflow,
  linkedKey,
  MAX_RUN_DEPTH,
  type PortOutput,
  portFired,
  type RunDagInput,
  type RunDagResult,
  type RunState,
  runDagStartOptions,
  type StartedBy,
  type SubworkflowWait,
} from '@flowforge/connectors-sdk/contract';
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  isCancellation,
  ParentClosePolicy,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { nodeFailure } from './node-activity.ts';

/** Told when the child has started: the DagRun records it, and shows the node waiting when `wait`. */
export type ChildStarted = (child: SubworkflowWait, wait: boolean) => void;

/**
 * Child runs (core.executeWorkflow) and error workflows (settings.errorWorkflow): both start a
 * linked version as a Temporal child workflow of this run. The child carries the top-level run's
 * signed request and linked map, and its worker checks that the request signed the child's DAG
 * (activities/verify-run-request.ts), so a child runs exactly what the control plane resolved when
 * the top-level run started.
 */
export async function runChild(
  parent: RunDagInput,
  nodeId: string,
  request: SubworkflowRequest,
  started: ChildStarted,
): Promise<Record<string, PortOutput>> {
  const key = linkedKey(request.workflow, request.version);
  const depth = (parent.startedBy?.depth ?? 0) + 1;
  if (depth > MAX_RUN_DEPTH) {
    throw nodeFailure({
      code: 'FF_CHILD_RUN_DEPTH',
      message: `node "${nodeId}": child runs are nested ${MAX_RUN_DEPTH} deep already, so "${key}" was not started`,
      hint: 'a workflow that (indirectly) runs itself needs a condition that ends the chain',
      retryable: false,
    });
  }
  const linked = linkedVersion(parent, key, nodeId);
  const startedBy: StartedBy = { kind: 'subworkflow', runId: workflowInfo().workflowId, nodeId, key, depth };
  const child = await start(parent, linked, request.input, startedBy, request.wait);
  const workflow = { name: linked.name, version: linked.version };
  started({ kind: 'subworkflow', runId: child.workflowId, workflow, since: new Date().toISOString() }, request.wait);
  if (!request.wait)
    return { main: [{ json: { runId: child.workflowId, workflow: linked.name, version: linked.version } }] };
  try {
    return { main: childItems(nodeId, await child.result()) };
  } catch (error) {
    if (isCancellation(error)) throw error;
    const cause = error instanceof ChildWorkflowFailure ? error.cause : error;
    throw nodeFailure({
      code: 'FF_CHILD_RUN_FAILED',
      message: `node "${nodeId}": child run ${child.workflowId} (${linked.name} v${linked.version}) failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      hint: `flowforge runs show ${child.workflowId} shows where it failed`,
      retryable: false,
    });
  }
}

/** A failed run's input is passed inline up to this many characters of JSON; past it, by run id only. */
const ERROR_INPUT_INLINE_CHARS = 16 * 1024;

/**
 * A failed top-level run starts its error workflow (settings.errorWorkflow) before it fails, so a
 * worker crash in between replays into the same start. The error run outlives this one (ABANDON).
 * Error workflows of child runs and of error runs are not started: the failure surfaces in the
 * top-level run, which starts its own.
 */
export async function startErrorRun(input: RunDagInput, state: RunState, failure: unknown): Promise<void> {
  const name = input.dag.settings?.errorWorkflow;
  if (name === undefined || input.startedBy !== undefined) return;
  const key = linkedKey(name);
  const linked = input.linked?.[key];
  if (!linked) return;
  const stopped = stoppedBy(failure);
  const type = input.dag.nodes.find((node) => node.id === stopped?.nodeId)?.type;
  const error = stopped?.error ??
    state.error ?? {
      code: 'FF_INTERNAL',
      message: failure instanceof Error ? failure.message : String(failure),
      retryable: false,
    };
  const { workflowId } = workflowInfo();
  const inputJson = JSON.stringify(input.input ?? null);
  const payload: ErrorRunInput = {
    run: { id: workflowId, workflow: input.workflow },
    node: stopped && type !== undefined ? { id: stopped.nodeId, type } : null,
    error,
    input: {
      runId: workflowId,
      hash: input.signed.request.inputHash,
      ...(inputJson.length <= ERROR_INPUT_INLINE_CHARS ? { value: input.input ?? null } : {}),
    },
    failedAt: new Date().toISOString(),
  };
  const startedBy: StartedBy = { kind: 'error', runId: workflowId, key, depth: 1 };
  const child = await start(input, linked, payload, startedBy, false);
  state.errorRun = child.workflowId;
}

/** The node that stopped the run and its error: FF_NODE_FAILED's details (run-dag.ts, DagRun.stop). */
function stoppedBy(failure: unknown): { nodeId: string; error: SerializedError } | undefined {
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const details = failure.details?.[0] as { nodeId?: unknown; error?: SerializedError } | undefined;
  return typeof details?.nodeId === 'string' && details.error
    ? { nodeId: details.nodeId, error: details.error }
    : undefined;
}

function linkedVersion(parent: RunDagInput, key: string, nodeId: string): LinkedWorkflow {
  const linked = parent.linked?.[key];
  if (linked) return linked;
  throw nodeFailure({
    code: 'FF_CHILD_RUN_FAILED',
    message: `node "${nodeId}": "${key}" was not resolved when the run started, so it cannot be started`,
    hint: "write core.executeWorkflow's workflow and version as values, not expressions: they are resolved and signed when the run starts",
    retryable: false,
  });
}

async function start(parent: RunDagInput, linked: LinkedWorkflow, input: unknown, startedBy: StartedBy, wait: boolean) {
  const runId = `run-${uuid4()}`;
  const workflow = { name: linked.name, version: linked.version };
  const childInput: RunDagInput = {
    signed: parent.signed,
    dag: linked.dag,
    input,
    workflow,
    ...(parent.linked ? { linked: parent.linked } : {}),
    startedBy,
  };
  const { workflowExecutionTimeout, ...options } = runDagStartOptions({
    runId,
    workflow,
    settings: linked.dag.settings ?? {},
    taskQueue: workflowInfo().taskQueue,
  });
  return startChild<(input: RunDagInput) => Promise<RunDagResult>>('runDag', {
    ...options,
    ...(workflowExecutionTimeout ? { workflowExecutionTimeout } : {}),
    args: [childInput],
    // Waited-for children end with their parent (cancellation reaches them first); the rest live on.
    parentClosePolicy: wait ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
  });
}

/**
 * The child's result as this node's items: the items of the nodes the child run ended in (every
 * port that fired: `main`, or an approval's `approved`...), in their order. A stored output (claim
 * check) passes on as it is when it is the only one.
 */
function childItems(nodeId: string, result: RunDagResult): PortOutput {
  const outputs = Object.values(result.outputs)
    .flatMap((ports) => Object.values(ports))
    .filter(portFired);
  const [only] = outputs;
  if (outputs.length === 1 && only !== undefined) return only;
  const items: Item[] = [];
  for (const port of outputs) {
    if (isArtifactRef(port)) {
      throw nodeFailure({
        code: 'FF_CHILD_RUN_FAILED',
        message: `node "${nodeId}": the child run ended in ${outputs.length} nodes and one of their outputs is stored (too big for history), so they cannot be joined here`,
        hint: 'end the child workflow in one node (a core.merge or core.aggregate) so its result is one output',
        retryable: false,
      });
    }
    items.push(...port);
  }
  return items;
}
