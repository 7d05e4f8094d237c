import type { NodeEffect, SerializedError, WorkflowGraph, WorkflowNode } from '@flowforge/connectors-sdk';
import type { NodeState, PortOutput, RunDagInput, RunDagResult, RunState } from '@flowforge/connectors-sdk/contract';
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { ExecuteNodeInput, ExecuteNodeResult, FlowForgeActivities, VerifiedRun } from '../activities/contract.ts';
import { failureOutcome, isSettled, type NodeToRun, referencedNodes } from '../interpreter/index.ts';
import { type ApprovalGate, approvalGate, waitForDecision } from './approvals.ts';
import { runChild } from './child-runs.ts';
import { LoopRuns } from './loop-runs.ts';
import { describeNodeFailure, localActivityOptions, nodeActivityOptions, nodeFailure } from './node-activity.ts';
import { effectOf } from './node-effect.ts';
import type { NodeStates } from './node-states.ts';
import { isPaused } from './run-control.ts';
import { durableWaitsOf, reordered, WAITS_FIRST_PATCH, waitsFirst } from './start-order.ts';
import type { WebhookResponder } from './webhook-response.ts';
import { type ResumeGate, resumeGate, waitForResume } from './webhook-resume.ts';

/**
 * `patched()` id of draining before continue-as-new: once Temporal suggests it, no new node starts
 * until nothing is in flight, so a run that always has work in flight (a wide fan-out under the
 * in-flight cap) still continues as new. Asked only when it changes what starts.
 */
export const DRAIN_FOR_CONTINUE_AS_NEW_PATCH = 'flowforge-drain-for-continue-as-new';

/** The scheduling loop of one execution (continue-as-new starts the next one with the carried state). */
export class DagRun {
  private readonly inFlight = new Set<string>();
  /** Activities and wait timers run here, so a stop-failure can cancel the nodes still running. */
  private readonly nodesScope = new CancellationScope();
  private changed = false;
  private stoppedBy: { id: string; error: SerializedError } | undefined;
  private cancellation: unknown;

  private readonly input: RunDagInput;
  private readonly graph: WorkflowGraph;
  private readonly state: RunState;
  private readonly nodes: NodeStates;
  private readonly verified: VerifiedRun;
  private readonly approvals: ApprovalGate;
  private readonly resumes: ResumeGate;
  private readonly loops: LoopRuns;
  private readonly isWait: (id: string) => boolean;
  private readonly responder: WebhookResponder;
  private readonly localNodes: ReadonlySet<string>;

  constructor(
    input: RunDagInput,
    graph: WorkflowGraph,
    state: RunState,
    nodes: NodeStates,
    verified: VerifiedRun,
    responder: WebhookResponder,
  ) {
    this.responder = responder;
    this.input = input;
    this.graph = graph;
    this.state = state;
    this.nodes = nodes;
    this.verified = verified;
    this.approvals = approvalGate(verified.approvalPublicKey);
    this.resumes = resumeGate(verified.approvalPublicKey);
    this.loops = new LoopRuns(input, graph, nodes, verified);
    this.isWait = durableWaitsOf(verified.durableWaits, (id) => graph.nodes.get(id)?.type);
    this.localNodes = new Set(verified.localNodes ?? []);
  }

  async run(): Promise<void> {
    for (;;) {
      const step = this.loops.nextStep(this.nodes.all);
      for (const id of step.skip) this.nodes.set(id, { status: 'skipped', attempts: 0 });
      const suggested = step.run.length > 0 && workflowInfo().continueAsNewSuggested;
      if (suggested && this.inFlight.size === 0) {
        // Only between nodes: nothing in flight means no activity result can be lost.
        await continueAsNew<(input: RunDagInput) => Promise<RunDagResult>>({
          ...this.input,
          carried: { ...this.loops.carry(this.nodes.all), ...(isPaused(this.state) ? { paused: true } : {}) },
        });
      }
      // Paused: running nodes finish, ready ones wait for `resume` (which wakes the condition).
      const paused = isPaused(this.state);
      const draining = suggested && this.inFlight.size > 0 && patched(DRAIN_FOR_CONTINUE_AS_NEW_PATCH);
      if (!paused && !draining) for (const node of this.startable(step.run)) this.start(node);
      const held = step.run.length > 0 && (paused || this.inFlight.size > 0);
      if (this.inFlight.size === 0 && !held) break;
      this.changed = false;
      await condition(() => this.changed || isPaused(this.state) !== paused);
      if (this.cancellation !== undefined) throw this.cancellation;
      if (this.stoppedBy) return this.stop(this.stoppedBy);
    }
    if (!isSettled(this.nodes.all)) {
      throw ApplicationFailure.create({
        type: 'FF_INTERNAL',
        message: `the run cannot go on: nodes ${Object.entries(this.nodes.all)
          .filter(([, node]) => node.status === 'pending')
          .map(([id]) => `"${id}"`)
          .join(', ')} never became ready (is there a cycle?)`,
        nonRetryable: true,
      });
    }
  }

  /**
   * The ready nodes to start now: durable waits first (./start-order.ts), and no more than the
   * verified run's in-flight cap allows, so a wide fan-out never holds more pending activities or
   * child runs than Temporal takes (2,000 of each). The order is the order of the
   * ScheduleActivityTask commands, checked against history by activity id (the node id): runs
   * that started before the waits-first change replay with the old order. `patched()` is asked
   * only when the order differs, so runs without such a step carry no marker. Runs verified before
   * the cap existed have none (`maxInFlight` absent), so their histories replay unchanged.
   */
  private startable(ready: NodeToRun[]): NodeToRun[] {
    const waitsAhead = waitsFirst(ready, this.isWait);
    const ordered = reordered(ready, waitsAhead) && patched(WAITS_FIRST_PATCH) ? waitsAhead : ready;
    const cap = this.verified.maxInFlight;
    return cap === undefined ? ordered : ordered.slice(0, Math.max(0, cap - this.inFlight.size));
  }

  private start(toRun: NodeToRun): void {
    const node = this.graph.nodes.get(toRun.id) as WorkflowNode;
    this.inFlight.add(node.id);
    this.nodes.set(node.id, { status: 'running', attempts: 0, startedAt: now() });
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
    const startedAt = this.nodes.get(node.id)?.startedAt;
    let childRun: string | undefined;
    let attempts = 0;
    // Every change of this node's state while it runs: the `waiting` shapes and the end.
    const show = (change: Omit<NodeState, 'attempts' | 'startedAt'>) =>
      this.nodes.set(node.id, { ...change, attempts, startedAt, ...(childRun ? { childRun } : {}) });
    try {
      const request = this.activityInput(node, toRun);
      assertSchedulable(node, request);
      if (this.loops.has(node.id)) return await this.loops.execute(node, toRun, request.run);
      const options = nodeActivityOptions(
        node,
        this.verified.defaultTimeouts[node.id],
        this.loops.iterationOf(node.id),
      );
      // A pure node runs as a local activity: in the worker that runs the workflow task, without a
      // round trip through the task queue; still one activity per node, recorded in history.
      const { executeNode } = this.localNodes.has(node.id)
        ? proxyLocalActivities<FlowForgeActivities>(localActivityOptions(options))
        : proxyActivities<FlowForgeActivities>(options);
      const result = await executeNode(request);
      attempts = result.attempt;
      const output = await this.applyEffect(node.id, effectOf(result), result, show, (id) => {
        childRun = id;
      });
      show({ status: 'succeeded', output, finishedAt: now() });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const failure = describeNodeFailure(node, error);
      attempts = failure.attempts;
      const outcome = failureOutcome(node.onError, failure.error);
      const failed = { status: 'failed' as const, error: failure.error, finishedAt: now() };
      if (outcome.stopsRun) {
        show(failed);
        this.stoppedBy ??= { id: node.id, error: failure.error };
      } else {
        show({ ...failed, output: outcome.output });
      }
    }
  }

  /** What the node asked for after its activity, and so what its outputs finally are. */
  private async applyEffect(
    nodeId: string,
    effect: NodeEffect | undefined,
    result: ExecuteNodeResult,
    show: (change: Omit<NodeState, 'attempts' | 'startedAt'>) => void,
    childStarted: (runId: string) => void,
  ): Promise<Record<string, PortOutput>> {
    if (effect === undefined) return result.outputs;
    switch (effect.kind) {
      case 'timer': {
        // core.wait: a durable timer in the workflow, not a sleeping activity.
        show({ status: 'waiting', waitingUntil: effect.until });
        const delay = Date.parse(effect.until) - Date.now();
        if (delay > 0) await sleep(delay);
        return result.outputs;
      }
      case 'approval':
        return waitForDecision(this.approvals, nodeId, effect.request, result.outputs.approved, (waitingFor) =>
          show({ status: 'waiting', waitingFor }),
        );
      case 'webhook':
        return waitForResume(this.resumes, nodeId, effect.request, (waitingFor) =>
          show({ status: 'waiting', waitingFor }),
        );
      case 'subworkflow':
        return runChild(this.input, nodeId, effect.request, (child, wait) => {
          childStarted(child.runId);
          if (wait) show({ status: 'waiting', waitingFor: child });
        });
      case 'respond':
        this.responder.respond(effect.response);
        return result.outputs;
      default: {
        const unknown: never = effect;
        throw new Error(`unexpected node effect ${JSON.stringify(unknown)}`);
      }
    }
  }

  private activityInput(node: WorkflowNode, toRun: NodeToRun): ExecuteNodeInput {
    const iteration = this.loops.iterationOf(node.id);
    return {
      run: {
        id: workflowInfo().workflowId,
        workflow: this.input.workflow,
        // Only triggers read the run input: the other nodes' activity inputs stay small. A scheduled
        // run's triggers get the item its verification made ({ scheduledAt, firedAt, timezone }).
        ...((this.graph.incoming.get(node.id) ?? []).length === 0
          ? { input: this.verified.triggerItem ?? this.input.input }
          : {}),
        ...(iteration > 0 ? { iteration } : {}),
      },
      // Names only, and only when the node has any: other nodes' inputs stay as they were recorded.
      node: {
        id: node.id,
        type: node.type,
        params: node.params,
        ...(node.credentials ? { credentials: node.credentials } : {}),
      },
      inputs: toRun.inputs,
      nodeOutputs: this.referencedOutputs(node),
    };
  }

  private referencedOutputs(node: WorkflowNode): Record<string, NonNullable<NodeState['output']>> {
    const outputs: Record<string, NonNullable<NodeState['output']>> = {};
    for (const id of referencedNodes(node.params)) {
      const output = this.nodes.get(id)?.output;
      if (output) outputs[id] = output;
    }
    return outputs;
  }

  private stop(stoppedBy: { id: string; error: SerializedError }): never {
    this.nodesScope.cancel();
    this.nodes.markUnfinished(`node "${stoppedBy.id}" failed and stopped the run`, now());
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
export function now(): string {
  return new Date().toISOString();
}
