import {
  findLoops,
  LOOP_PORT,
  type LoopShape,
  type WorkflowDefinition,
  type WorkflowGraph,
} from '@flowforge/connectors-sdk';
import type { LoopCursor, LoopProgress } from '@flowforge/connectors-sdk/contract';
import {
  type CarriedState,
  type NodeState,
  type PortOutput,
  portFired,
  type ReuseMap,
} from '@flowforge/connectors-sdk/contract';
import { carryState } from './carry-state.ts';
import { isFinished, nextStep, type Step } from './ready-nodes.ts';

/**
 * core.loop in the interpreter, as plain functions over plain data (the workflow side is
 * workflows/loop-runs.ts). A loop node's `loop` port feeds its body; edges from the body back into
 * the loop node (back edges) carry each batch's results. While it iterates the loop node is
 * `running` with the current batch on its `loop` port (ready-nodes.ts reads a port that already
 * delivered items as live); when its body has settled it runs again: it collects the results,
 * resets the body to pending and emits the next batch, or emits everything on `done`.
 */
export interface LoopIndex {
  readonly loops: ReadonlyMap<string, LoopShape>;
  /** Body node → the innermost loop whose body it is in (the one whose iterations it follows). */
  readonly innermost: ReadonlyMap<string, string>;
}

export function indexLoops(dag: Pick<WorkflowDefinition, 'nodes' | 'edges'>): LoopIndex {
  const loops = findLoops(dag.nodes, dag.edges);
  const innermost = new Map<string, string>();
  // The innermost loop of a node is the one with the smallest body among those containing it.
  const bySize = [...loops.values()].sort((a, b) => b.body.size - a.body.size);
  for (const loop of bySize) for (const id of loop.body) innermost.set(id, loop.id);
  return { loops, innermost };
}

/**
 * `nextStep`, plus every iterating loop whose body has settled (counting the skips of this very
 * step): it runs again to emit its next batch or `done`.
 */
export function loopStep(graph: WorkflowGraph, index: LoopIndex, nodes: Readonly<Record<string, NodeState>>): Step {
  const step = nextStep(graph, nodes);
  if (index.loops.size === 0) return step;
  const skipped: NodeState = { status: 'skipped', attempts: 0 };
  const after =
    step.skip.length > 0 ? { ...nodes, ...Object.fromEntries(step.skip.map((id) => [id, skipped])) } : nodes;
  for (const loop of index.loops.values()) {
    if (bodySettled(loop, after)) step.run.push({ id: loop.id, inputs: {} });
  }
  return step;
}

/** An iterating loop (its batch on `loop`, not already advancing) whose body nodes have all finished. */
export function bodySettled(loop: LoopShape, nodes: Readonly<Record<string, NodeState>>): boolean {
  const state = nodes[loop.id];
  if (state?.status !== 'running' || state.output?.[LOOP_PORT] === undefined) return false;
  for (const id of loop.body) {
    const body = nodes[id];
    if (!body || !isFinished(body)) return false;
  }
  return true;
}

/** This iteration's results: what every back edge's source emitted on that edge's port, in edge order. */
export function iterationResults(loop: LoopShape, nodes: Readonly<Record<string, NodeState>>): PortOutput[] {
  const results: PortOutput[] = [];
  for (const edge of loop.backEdges) {
    const source = nodes[edge.from];
    if (source?.status !== 'succeeded' && source?.status !== 'failed') continue;
    const output = source.output?.[edge.fromPort];
    if (output !== undefined && portFired(output)) results.push(output);
  }
  return results;
}

/** The body's node states for the next iteration: every body node pending again. */
export function resetBody(loop: LoopShape): Record<string, NodeState> {
  return Object.fromEntries([...loop.body].map((id) => [id, { status: 'pending', attempts: 0 } satisfies NodeState]));
}

/** Index of the page that holds batch `batch`. */
export function pageOf(cursor: Pick<LoopCursor, 'pages'>, batch: number): number {
  return cursor.pages ? Math.floor(batch / cursor.pages.batchesPerPage) : 0;
}

/**
 * Batch `batch` out of the page that holds it. A stored page of one batch is that batch (a
 * reference the body's activities read); an inline page is sliced here in the workflow.
 */
export function batchAt(cursor: LoopCursor, batch: number): PortOutput {
  const page = cursor.page;
  if (!page || page.index !== pageOf(cursor, batch)) {
    throw new Error(`loop batch ${batch} is not on the page in hand (${page?.index ?? 'none'})`);
  }
  if (!Array.isArray(page.items)) return page.items;
  const batchesPerPage = cursor.pages?.batchesPerPage ?? cursor.batches;
  const start = (batch - page.index * batchesPerPage) * cursor.batchSize;
  return page.items.slice(start, start + cursor.batchSize);
}

/** Progress for the run view once batch `batch` (from 0) is emitted, or the loop is done. */
export function progressOf(cursor: LoopCursor, batch: number, done: boolean): LoopProgress {
  const { batches, total, batchSize } = cursor;
  if (done) return { iteration: batches, batches, processed: total, total };
  return { iteration: batch + 1, batches, processed: Math.min(total, batch * batchSize), total };
}

/**
 * What continue-as-new carries: carryState over a view of the graph in which a started loop
 * needs its back edges' sources (this iteration's results are collected when it advances) and
 * no longer its forward sources (its input is in the cursor's pages), so the source items are not
 * carried along every execution.
 */
export function carryLoopState(
  graph: WorkflowGraph,
  index: LoopIndex,
  nodes: Readonly<Record<string, NodeState>>,
  started: (loopId: string) => boolean,
): CarriedState {
  if (index.loops.size === 0) return carryState(graph, nodes);
  const incoming = new Map(graph.incoming);
  for (const loop of index.loops.values()) {
    if (started(loop.id)) incoming.set(loop.id, loop.backEdges);
  }
  const carried = carryState({ ...graph, incoming }, nodes);
  // An iterating loop node's batch is how the next execution knows it is iterating, even when no
  // node after `done` would keep its output alive.
  for (const loop of index.loops.values()) {
    const state = nodes[loop.id];
    if (state?.status === 'running' && state.output) carried.nodes[loop.id] = state;
  }
  return carried;
}

/**
 * Nodes a retry must not reuse: a loop that did not emit `done` in the original run (it is not in
 * the reuse map) runs again from its first batch, and so does its whole body, whose states were
 * only those of the iteration the original run stopped in.
 */
export function unreusableLoopNodes(dag: Pick<WorkflowDefinition, 'nodes' | 'edges'>, reuse: ReuseMap): Set<string> {
  const excluded = new Set<string>();
  for (const loop of findLoops(dag.nodes, dag.edges).values()) {
    if (reuse[loop.id] !== undefined) continue;
    excluded.add(loop.id);
    for (const id of loop.body) excluded.add(id);
  }
  return excluded;
}
