import { DONE_PORT, LOOP_PORT, type WorkflowGraph, type WorkflowNode } from '@flowforge/connectors-sdk';
import type { LoopCursor, LoopsCarry } from '@flowforge/connectors-sdk/contract';
import {
  type CarriedState,
  isArtifactRef,
  type NodeState,
  type PortOutput,
  type RunDagInput,
} from '@flowforge/connectors-sdk/contract';
import { proxyActivities } from '@temporalio/workflow';
import type { ExecuteNodeInput, FlowForgeActivities, VerifiedRun } from '../activities/contract.ts';
import {
  batchAt,
  carryLoopState,
  indexLoops,
  iterationResults,
  type LoopIndex,
  loopStep,
  type NodeToRun,
  pageOf,
  progressOf,
  resetBody,
  type Step,
} from '../interpreter/index.ts';
import { nodeActivityOptions, retryPolicy } from './node-activity.ts';
import type { NodeStates } from './node-states.ts';

/**
 * Inline results a loop keeps (and continue-as-new carries) before it moves them to the artefact
 * store as one part: the carried state stays small however many items the loop collects.
 */
const INLINE_RESULTS_CHARS = 64 * 1024;

/**
 * The core.loop nodes of one execution of `runDag`: their cursors (carried over continue-as-new),
 * their activities, and the hooks DagRun calls. For a DAG without a loop every hook is the
 * identity: the scheduler, the states and the carried input are exactly what they were before.
 */
export class LoopRuns {
  private readonly index: LoopIndex;
  private readonly graph: WorkflowGraph;
  private readonly nodes: NodeStates;
  private readonly verified: VerifiedRun;
  private readonly cursors: Record<string, LoopCursor>;
  private readonly emitted: Record<string, number>;

  constructor(input: RunDagInput, graph: WorkflowGraph, nodes: NodeStates, verified: VerifiedRun) {
    this.index = indexLoops(input.dag);
    this.graph = graph;
    this.nodes = nodes;
    this.verified = verified;
    this.cursors = { ...input.carried?.loops?.cursors };
    this.emitted = { ...input.carried?.loops?.emitted };
    if (this.index.loops.size > 0) nodes.tagWith((id, node) => this.tagged(id, node));
  }

  has(id: string): boolean {
    return this.index.loops.has(id);
  }

  nextStep(nodes: Readonly<Record<string, NodeState>>): Step {
    return loopStep(this.graph, this.index, nodes);
  }

  /** The iteration of a body node's next execution: 0 for the first batch and outside loops. */
  iterationOf(id: string): number {
    const loop = this.index.innermost.get(id);
    return loop === undefined ? 0 : Math.max(0, (this.emitted[loop] ?? 0) - 1);
  }

  /**
   * Every node state goes through here (NodeStates' tagger). A loop node keeps its progress and
   * first start time while it runs again for its next batch; a body node says which iteration its
   * state is from.
   */
  private tagged(id: string, node: NodeState): NodeState {
    const current = this.nodes.get(id);
    if (this.index.loops.has(id) && node.loop === undefined && current?.loop) {
      return { ...node, loop: current.loop, ...(current.startedAt ? { startedAt: current.startedAt } : {}) };
    }
    const loop = this.index.innermost.get(id);
    const iteration = loop === undefined ? undefined : this.nodes.get(loop)?.loop?.iteration;
    return iteration && node.status !== 'pending' ? { ...node, iteration } : node;
  }

  carry(nodes: Readonly<Record<string, NodeState>>): CarriedState {
    const carried = carryLoopState(this.graph, this.index, nodes, (id) => this.cursors[id] !== undefined);
    if (this.index.loops.size === 0) return carried;
    return { ...carried, loops: { cursors: this.cursors, emitted: this.emitted } satisfies LoopsCarry };
  }

  /**
   * One run of a loop node: the first (reads its input, emits the first batch) or a later one
   * (its body settled: collect the results, then the next batch or `done`). Failures propagate to
   * DagRun, which applies the loop node's onError like any node's.
   */
  async execute(node: WorkflowNode, toRun: NodeToRun, run: ExecuteNodeInput['run']): Promise<void> {
    const loop = this.index.loops.get(node.id);
    if (!loop) throw new Error(`node "${node.id}" is not a loop`);
    const activities = (what: string) =>
      proxyActivities<FlowForgeActivities>({
        ...nodeActivityOptions(node, this.verified.defaultTimeouts[node.id]),
        activityId: `${node.id}:${what}:${this.emitted[node.id] ?? 0}`,
        // Reading and writing the artefact store: worth a few attempts even when the node sets none.
        retry: node.retry ? retryPolicy(node.retry) : { maximumAttempts: 3 },
      });
    let cursor = this.cursors[node.id];
    if (!cursor) {
      const started = await activities('start').startLoop({
        run: { id: run.id, workflow: run.workflow },
        node: { id: node.id, type: node.type, params: node.params },
        inputs: toRun.inputs,
      });
      cursor = {
        batchSize: started.batchSize,
        total: started.total,
        batches: Math.ceil(started.total / started.batchSize),
        next: 0,
        ...(started.pages ? { pages: started.pages } : {}),
        ...(started.page ? { page: started.page } : {}),
        collected: [],
      };
    } else {
      cursor = { ...cursor, collected: [...cursor.collected, ...iterationResults(loop, this.nodes.all)] };
      const inline = cursor.collected.filter((part) => !isArtifactRef(part));
      if (JSON.stringify(inline).length > INLINE_RESULTS_CHARS) {
        const stored = await activities('results').storeLoopResults({
          run: { id: run.id },
          node: { id: node.id },
          parts: inline,
          mode: 'store',
        });
        cursor = { ...cursor, collected: [...cursor.collected.filter(isArtifactRef), stored] };
      }
    }
    this.cursors[node.id] = cursor;
    if (cursor.next < cursor.batches) {
      const page = pageOf(cursor, cursor.next);
      if (cursor.page?.index !== page && cursor.pages) {
        const loaded = await activities(`page-${page}`).loadLoopPage({ pages: cursor.pages, index: page });
        cursor = { ...cursor, page: loaded };
        this.cursors[node.id] = cursor;
      }
      this.emit(node.id, cursor, batchAt(cursor, cursor.next));
      return;
    }
    const done = await this.doneOutput(cursor.collected, (parts) =>
      activities('done').storeLoopResults({ run: { id: run.id }, node: { id: node.id }, parts, mode: 'final' }),
    );
    delete this.cursors[node.id];
    this.nodes.set(node.id, {
      ...this.nodes.get(node.id),
      status: 'succeeded',
      attempts: 1,
      output: { [DONE_PORT]: done },
      loop: progressOf(cursor, cursor.batches, true),
      finishedAt: new Date().toISOString(),
    });
  }

  /**
   * The next batch, in one synchronous step: the body is reset to pending (nested loops start
   * over) and the loop node holds the batch on `loop`, so the body is ready on the next pass.
   */
  private emit(id: string, cursor: LoopCursor, batch: PortOutput): void {
    const loop = this.index.loops.get(id);
    if (!loop) return;
    for (const bodyId of loop.body) if (this.index.loops.has(bodyId)) delete this.cursors[bodyId];
    for (const [bodyId, pending] of Object.entries(resetBody(loop))) this.nodes.set(bodyId, pending);
    this.nodes.set(id, {
      ...this.nodes.get(id),
      status: 'running',
      attempts: 1,
      output: { [LOOP_PORT]: batch },
      loop: progressOf(cursor, cursor.next, false),
    });
    this.cursors[id] = { ...cursor, next: cursor.next + 1 };
    this.emitted[id] = (this.emitted[id] ?? 0) + 1;
  }

  /** `done`: nothing, the one part there is, or (through the store) all parts merged into one output. */
  private async doneOutput(
    parts: PortOutput[],
    merge: (parts: PortOutput[]) => Promise<PortOutput>,
  ): Promise<PortOutput> {
    if (parts.length === 0) return [];
    if (parts.length === 1) return parts[0] as PortOutput;
    return merge(parts);
  }
}
