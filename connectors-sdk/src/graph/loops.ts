import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../workflow-definition.ts';
import { indexGraph, type WorkflowGraph } from './workflow-graph.ts';

/**
 * The one node type the engine iterates (n8n's "Loop Over Items"). A loop is the engine's own
 * construct, not a capability a connector can claim: validation, the interpreter and retry planning
 * all need its graph shape, and they read it from here.
 */
export const LOOP_NODE_TYPE = 'core.loop';
/** The loop node's output port that feeds its body, one batch per iteration. */
export const LOOP_PORT = 'loop';
/** The loop node's output port that carries every collected result once the input is used up. */
export const DONE_PORT = 'done';

/** One core.loop node's part of the graph. */
export interface LoopShape {
  readonly id: string;
  /** Nodes reachable from the `loop` port without passing through the loop node: they run once per batch. */
  readonly body: ReadonlySet<string>;
  /** Edges from a body node into the loop node: they carry each batch's results. */
  readonly backEdges: readonly WorkflowEdge[];
}

type Dag = Pick<WorkflowDefinition, 'nodes' | 'edges'>;

/**
 * Finds every core.loop node's body and back edges. Pure and total (edges to unknown nodes are
 * ignored): the validator, the interpreter and its continue-as-new all read the same answer.
 */
export function findLoops(
  nodes: readonly Pick<WorkflowNode, 'id' | 'type'>[],
  edges: readonly WorkflowEdge[],
): Map<string, LoopShape> {
  const loops = new Map<string, LoopShape>();
  if (!nodes.some((node) => node.type === LOOP_NODE_TYPE)) return loops;
  const { outgoing } = indexGraph({ nodes: nodes as WorkflowNode[], edges: edges as WorkflowEdge[] });
  for (const node of nodes) {
    if (node.type !== LOOP_NODE_TYPE || loops.has(node.id)) continue;
    const body = new Set<string>();
    const queue = (outgoing.get(node.id) ?? []).filter((edge) => edge.fromPort === LOOP_PORT).map((edge) => edge.to);
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (next === node.id || body.has(next)) continue;
      body.add(next);
      for (const edge of outgoing.get(next) ?? []) queue.push(edge.to);
    }
    const backEdges = edges.filter((edge) => edge.to === node.id && body.has(edge.from));
    loops.set(node.id, { id: node.id, body, backEdges });
  }
  return loops;
}

/** Every back edge of every loop: the edges a loop-aware scheduler does not wait for. */
export function backEdgesOf(loops: ReadonlyMap<string, LoopShape>): Set<WorkflowEdge> {
  return new Set([...loops.values()].flatMap((loop) => loop.backEdges));
}

/**
 * The scheduler's graph. Without loops it is exactly `indexGraph(dag)`. With loops, back edges are
 * left out of `incoming` and of the topological order (a loop node is first ready when its forward
 * inputs are resolved, and its body comes after it), but stay in `outgoing`: a body node that
 * feeds the loop back is no sink.
 */
export function indexLoopGraph(dag: Dag, loops = findLoops(dag.nodes, dag.edges)): WorkflowGraph {
  if (loops.size === 0) return indexGraph(dag);
  const forward = indexGraph(dag, backEdgesOf(loops));
  return { ...forward, outgoing: indexGraph(dag).outgoing };
}
