import type { WorkflowEdge, WorkflowNode } from './workflow-definition.ts';

/**
 * The one node type the engine iterates (n8n's "Loop Over Items"). The type name lives here
 * rather than in a registry lookup because validation and the interpreter both need the loop's
 * graph shape, and neither may depend on the worker's built-in nodes.
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

/**
 * Finds every core.loop node's body and back edges. Pure and total (edges to unknown nodes are
 * ignored): the validator, the interpreter and its continue-as-new all read the same answer.
 */
export function findLoops(
  nodes: readonly Pick<WorkflowNode, 'id' | 'type'>[],
  edges: readonly WorkflowEdge[],
): Map<string, LoopShape> {
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from);
    if (list) list.push(edge);
    else outgoing.set(edge.from, [edge]);
  }
  const loops = new Map<string, LoopShape>();
  for (const node of nodes) {
    if (node.type !== LOOP_NODE_TYPE) continue;
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
