import type { SerializedError, WorkflowNode } from '@flowforge/connectors-sdk';
import {
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  condition,
  continueAsNew,
  defineQuery,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExecuteNodeInput, VerifiedRun } from '../activities/contract.ts';
// Type-only: the activities' implementations never enter the workflow bundle.
import type { FlowForgeActivities } from '../activities/index.ts';
import {
  failureOutcome,
  type GraphIndex,
  indexLoopGraph,
  isSettled,
  type NodeToRun,
  referencedNodes,
} from '../interpreter/index.ts';
import { type NodeState, RUN_STATE_QUERY, type RunDagInput, type RunDagResult, type RunState } from '../run-state.ts';
import { ApprovalGate } from './approvals.ts';
import { runChild, startErrorRun } from './child-runs.ts';
import { LoopRuns } from './loop-runs.ts';
import { describeNodeFailure, nodeActivityOptions, nodeFailure } from './node-activity.ts';
import { applyReuse, installRunControl, isPaused } from './run-control.ts';
import { reordered, WAITS_FIRST_PATCH, waitsFirst } from './start-order.ts';
import { WebhookResumeGate } from './webhook-resume.ts';

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
  setHandler(runStateQuery, () => state);
  installRunControl(state);
  let verified: VerifiedRun | undefined;
  try {
    verified = await verify(input, state);
    applyReuse(input, state, now());
    const graph = indexLoopGraph(input.dag);
    await new DagRun(input, graph, state, verified).run();
    state.status = 'COMPLETED';
    return runResult(graph, state);
  } catch (error) {
    if (isCancellation(error)) {
      state.status = 'CANCELLED';
      markUnfinished(state, 'the run was cancelled');
    } else if (verified && !(error instanceof ContinueAsNew)) {
      // Only a verified run may start its error workflow: its linked versions are signed.
      await startErrorRun(input, state, error);
    }
    throw error;
  }
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

/** The scheduling loop of one execution (continue-as-new starts the next one with the carried state). */
class DagRun {
  private readonly inFlight = new Set<string>();
  /** Activities and wait timers run here, so a stop-failure can cancel the nodes still running. */
  private readonly nodesScope = new CancellationScope();
  private changed = false;
  private stoppedBy: { id: string; error: SerializedError } | undefined;
  private cancellation: unknown;

  private readonly input: RunDagInput;
  private readonly graph: GraphIndex;
  private readonly state: RunState;
  private readonly verified: VerifiedRun;
  private readonly approvals: ApprovalGate;
  private readonly resumes: WebhookResumeGate;
  private readonly loops: LoopRuns;

  constructor(input: RunDagInput, graph: GraphIndex, state: RunState, verified: VerifiedRun) {
    this.input = input;
    this.graph = graph;
    this.state = state;
    this.verified = verified;
    this.approvals = new ApprovalGate(verified.approvalPublicKey);
    this.resumes = new WebhookResumeGate(verified.approvalPublicKey);
    this.loops = new LoopRuns(input, graph, state, verified);
  }

  async run(): Promise<void> {
    for (;;) {
      const step = this.loops.nextStep(this.state.nodes);
      for (const id of step.skip) this.setNode(id, { status: 'skipped', attempts: 0 });
      if (step.run.length > 0 && this.inFlight.size === 0 && workflowInfo().continueAsNewSuggested) {
        // Only between nodes: nothing in flight means no activity result can be lost.
        await continueAsNew<(input: RunDagInput) => Promise<RunDagResult>>({
          ...this.input,
          carried: { ...this.loops.carry(this.state.nodes), ...(isPaused(this.state) ? { paused: true } : {}) },
        });
      }
      // Paused: running nodes finish, ready ones wait for `resume` (which wakes the condition).
      const paused = isPaused(this.state);
      if (!paused) for (const node of this.startOrder(step.run)) this.start(node);
      if (this.inFlight.size === 0 && !(paused && step.run.length > 0)) break;
      this.changed = false;
      await condition(() => this.changed || isPaused(this.state) !== paused);
      if (this.cancellation !== undefined) throw this.cancellation;
      if (this.stoppedBy) return this.stop(this.stoppedBy);
    }
    if (!isSettled(this.state.nodes)) {
      throw ApplicationFailure.create({
        type: 'FF_INTERNAL',
        message: `the run cannot go on: nodes ${Object.entries(this.state.nodes)
          .filter(([, node]) => node.status === 'pending')
          .map(([id]) => `"${id}"`)
          .join(', ')} never became ready (is there a cycle?)`,
        nonRetryable: true,
      });
    }
  }

  /**
   * Durable waits first (./start-order.ts). The order is the order of the ScheduleActivityTask
   * commands, and Temporal checks each against history by activity id (the node id): runs that
   * started before the change replay with the old order. `patched()` is asked only when the order
   * differs, so runs without such a step carry no marker.
   */
  private startOrder(ready: NodeToRun[]): NodeToRun[] {
    const waitsAhead = waitsFirst(ready, (id) => this.graph.nodes.get(id)?.type);
    return reordered(ready, waitsAhead) && patched(WAITS_FIRST_PATCH) ? waitsAhead : ready;
  }

  private start(toRun: NodeToRun): void {
    const node = this.graph.nodes.get(toRun.id) as WorkflowNode;
    this.inFlight.add(node.id);
    this.setNode(node.id, { status: 'running', attempts: 0, startedAt: now() });
    this.nodesScope
      .run(() => this.execute(node, toRun))
      .catch((error: unknown) => {
        this.cancellation ??= error;
      })
      .finally(() => {
        this.inFlight.delete(node.id);
        this.changed = true;
      });
  }

  private async execute(node: WorkflowNode, toRun: NodeToRun): Promise<void> {
    const iteration = this.loops.iterationOf(node.id);
    const { executeNode } = proxyActivities<FlowForgeActivities>(
      nodeActivityOptions(node, this.verified.defaultTimeouts[node.id], iteration),
    );
    const startedAt = this.state.nodes[node.id]?.startedAt;
    let childRun: string | undefined;
    const request: ExecuteNodeInput = {
      run: {
        id: workflowInfo().workflowId,
        workflow: this.input.workflow,
        // Only triggers read the run input: the other nodes' activity inputs stay small.
        ...((this.graph.incoming.get(node.id) ?? []).length === 0 ? { input: this.input.input } : {}),
        ...(iteration > 0 ? { iteration } : {}),
      },
      node: { id: node.id, type: node.type, params: node.params },
      inputs: toRun.inputs,
      nodeOutputs: this.referencedOutputs(node),
    };
    try {
      assertSchedulable(node, request);
      if (this.loops.has(node.id)) return await this.loops.execute(node, toRun, request.run);
      const result = await executeNode(request);
      if (result.waitUntil) {
        // core.wait: a durable timer in the workflow, not a sleeping activity.
        this.setNode(node.id, {
          status: 'waiting',
          attempts: result.attempt,
          startedAt,
          waitingUntil: result.waitUntil,
        });
        const delay = Date.parse(result.waitUntil) - Date.now();
        if (delay > 0) await sleep(delay);
      }
      // The node shows what it waits for: a decision, its resume webhook or its child run.
      const waiting = (waitingFor: NonNullable<NodeState['waitingFor']>) =>
        this.setNode(node.id, {
          status: 'waiting',
          attempts: result.attempt,
          startedAt,
          waitingFor,
          ...(childRun ? { childRun } : {}),
        });
      const outputs = result.approval
        ? await this.approvals.wait(node.id, result.approval, result.outputs.approved, waiting)
        : result.webhook
          ? await this.resumes.wait(node.id, result.webhook, waiting)
          : result.subworkflow
            ? await runChild(this.input, node.id, result.subworkflow, (child, wait) => {
                childRun = child.runId;
                if (wait) waiting(child);
              })
            : result.outputs;
      this.setNode(node.id, {
        status: 'succeeded',
        attempts: result.attempt,
        output: outputs,
        startedAt,
        finishedAt: now(),
        ...(childRun ? { childRun } : {}),
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const { error: nodeError, attempts } = describeNodeFailure(node, error);
      const outcome = failureOutcome(node.onError, nodeError);
      const failed: NodeState = {
        status: 'failed',
        attempts,
        error: nodeError,
        startedAt,
        finishedAt: now(),
        ...(childRun ? { childRun } : {}),
      };
      if (outcome.stopsRun) {
        this.setNode(node.id, failed);
        this.stoppedBy ??= { id: node.id, error: nodeError };
      } else {
        this.setNode(node.id, { ...failed, output: outcome.output });
      }
    }
  }

  private referencedOutputs(node: WorkflowNode): Record<string, NonNullable<NodeState['output']>> {
    const outputs: Record<string, NonNullable<NodeState['output']>> = {};
    for (const id of referencedNodes(node.params)) {
      const output = this.state.nodes[id]?.output;
      if (output) outputs[id] = output;
    }
    return outputs;
  }

  private stop(stoppedBy: { id: string; error: SerializedError }): never {
    this.nodesScope.cancel();
    markUnfinished(this.state, `node "${stoppedBy.id}" failed and stopped the run`);
    const message = `node "${stoppedBy.id}" failed: ${stoppedBy.error.message}`;
    this.state.status = 'FAILED';
    this.state.error = { code: 'FF_NODE_FAILED', message, retryable: false };
    throw ApplicationFailure.create({
      type: 'FF_NODE_FAILED',
      message,
      nonRetryable: true,
      details: [{ nodeId: stoppedBy.id, error: stoppedBy.error }],
    });
  }

  private setNode(id: string, node: NodeState): void {
    this.state.nodes[id] = this.loops.tagged(id, node);
  }
}

/** Running and waiting nodes end as failed with the reason; pending ones stay pending (never started). */
function markUnfinished(state: RunState, reason: string): void {
  for (const [id, node] of Object.entries(state.nodes)) {
    if (node.status !== 'running' && node.status !== 'waiting') continue;
    state.nodes[id] = {
      ...node,
      status: 'failed',
      error: { code: 'FF_NODE_FAILED', message: `node "${id}" did not finish: ${reason}`, retryable: false },
      finishedAt: now(),
    };
  }
}

/** The run's result: the outputs of its sink nodes (those with no outgoing edges). */
function runResult(graph: GraphIndex, state: RunState): RunDagResult {
  const outputs: RunDagResult['outputs'] = {};
  for (const id of graph.order) {
    const output = state.nodes[id]?.output;
    if ((graph.outgoing.get(id) ?? []).length === 0 && output) outputs[id] = output;
  }
  return { status: 'COMPLETED', outputs };
}

/**
 * Temporal refuses a command whose payload passes its blob limit (2 MB by default), and a refused
 * command fails the workflow task over and over: the run would hang. Many inline outputs (each
 * under the claim-check threshold) fanned into one node can get there, so such a node fails
 * instead, through its onError setting, with a message that says what to change.
 */
const MAX_ACTIVITY_INPUT_CHARS = 1_500_000;

function assertSchedulable(node: WorkflowNode, request: ExecuteNodeInput): void {
  const size = JSON.stringify(request).length;
  if (size <= MAX_ACTIVITY_INPUT_CHARS) return;
  const error: SerializedError = {
    code: 'FF_INTERNAL',
    message: `node "${node.id}": its inputs (${size} characters of JSON) are too big to pass through Temporal history`,
    hint: "lower the worker's claimCheckBytes (FLOWFORGE_CLAIM_CHECK_BYTES) so more outputs go to the artefact store",
    retryable: false,
  };
  throw nodeFailure(error, 0);
}

/** Workflow time (deterministic on replay). */
function now(): string {
  return new Date().toISOString();
}
