import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../workflow-definition.ts';

/**
 * The workflow's graph as lookups: the one adjacency that the validator, the interpreter and retry
 * planning share. Total on any parsed file: edges that name a node which does not exist are left
 * out (validation reports them), so every question below has an answer.
 */
export interface WorkflowGraph {
  readonly nodes: ReadonlyMap<string, WorkflowNode>;
  /**
   * Node ids in topological order (ties keep the workflow file's order). Walking in this order
   * lets one pass propagate skips down a chain; nodes on a cycle come last and never become ready.
   */
  readonly order: readonly string[];
  readonly incoming: ReadonlyMap<string, readonly WorkflowEdge[]>;
  readonly outgoing: ReadonlyMap<string, readonly WorkflowEdge[]>;
}

type Dag = Pick<WorkflowDefinition, 'nodes' | 'edges'>;

/** Indexes the graph; `without` leaves those edges out entirely (a loop's back edges, for the validator). */
export function indexGraph(dag: Dag, without?: ReadonlySet<WorkflowEdge>): WorkflowGraph {
  // The first node with an id wins: a duplicate id is a validation error reported on its own.
  const nodes = new Map<string, WorkflowNode>();
  for (const node of dag.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const incoming = new Map<string, WorkflowEdge[]>([...nodes.keys()].map((id) => [id, []]));
  const outgoing = new Map<string, WorkflowEdge[]>([...nodes.keys()].map((id) => [id, []]));
  for (const edge of dag.edges) {
    if (!nodes.has(edge.from) || !nodes.has(edge.to) || without?.has(edge)) continue;
    incoming.get(edge.to)?.push(edge);
    outgoing.get(edge.from)?.push(edge);
  }
  return { nodes, order: topologicalOrder([...nodes.keys()], incoming, outgoing), incoming, outgoing };
}

/** Kahn's algorithm, seeded in file order so the order is stable for a given file. */
function topologicalOrder(
  ids: readonly string[],
  incoming: ReadonlyMap<string, readonly WorkflowEdge[]>,
  outgoing: ReadonlyMap<string, readonly WorkflowEdge[]>,
): string[] {
  const remaining = new Map(ids.map((id) => [id, incoming.get(id)?.length ?? 0]));
  const queue = ids.filter((id) => remaining.get(id) === 0);
  const order: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    order.push(next);
    for (const edge of outgoing.get(next) ?? []) {
      const left = (remaining.get(edge.to) ?? 0) - 1;
      remaining.set(edge.to, left);
      if (left === 0) queue.push(edge.to);
    }
  }
  if (order.length < ids.length) {
    const placed = new Set(order);
    order.push(...ids.filter((id) => !placed.has(id)));
  }
  return order;
}

/** Every node reachable from `starts` along the graph's edges (the starts included), never entering `avoid`. */
export function reachableFrom(
  graph: Pick<WorkflowGraph, 'outgoing'>,
  starts: Iterable<string>,
  avoid?: string,
): Set<string> {
  const reached = new Set<string>();
  const queue = [...starts];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (reached.has(id) || id === avoid) continue;
    reached.add(id);
    for (const edge of graph.outgoing.get(id) ?? []) queue.push(edge.to);
  }
  return reached;
}

/** Depth-first search in file order; the nodes of one cycle, closed (`a → b → a`), or undefined. */
export function findCycle(graph: Pick<WorkflowGraph, 'nodes' | 'outgoing'>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const { to } of graph.outgoing.get(id) ?? []) {
      if (state.get(to) === 'open') return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.nodes.keys()) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}
