import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@flowforge/connectors-sdk';

/** The DAG as lookups: what the scheduler asks on every step, built once per execution. */
export interface GraphIndex {
  readonly nodes: ReadonlyMap<string, WorkflowNode>;
  /**
   * Node ids in topological order (ties keep the workflow file's order). Walking in this order
   * lets one pass propagate skips down a chain; nodes on a cycle come last and never become ready.
   */
  readonly order: readonly string[];
  readonly incoming: ReadonlyMap<string, readonly WorkflowEdge[]>;
  readonly outgoing: ReadonlyMap<string, readonly WorkflowEdge[]>;
}

export function indexGraph(dag: Pick<WorkflowDefinition, 'nodes' | 'edges'>): GraphIndex {
  const nodes = new Map(dag.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, WorkflowEdge[]>(dag.nodes.map((node) => [node.id, []]));
  const outgoing = new Map<string, WorkflowEdge[]>(dag.nodes.map((node) => [node.id, []]));
  for (const edge of dag.edges) {
    // An edge to or from a node that does not exist is a validation error caught before the run
    // starts; ignoring it here keeps the index total.
    if (!nodes.has(edge.from) || !nodes.has(edge.to)) continue;
    incoming.get(edge.to)?.push(edge);
    outgoing.get(edge.from)?.push(edge);
  }
  return { nodes, order: topologicalOrder(dag.nodes, incoming, outgoing), incoming, outgoing };
}

/** Kahn's algorithm, seeded in file order so the order is stable for a given file. */
function topologicalOrder(
  nodes: readonly WorkflowNode[],
  incoming: ReadonlyMap<string, readonly WorkflowEdge[]>,
  outgoing: ReadonlyMap<string, readonly WorkflowEdge[]>,
): string[] {
  const remaining = new Map(nodes.map((node) => [node.id, incoming.get(node.id)?.length ?? 0]));
  const queue = nodes.filter((node) => remaining.get(node.id) === 0).map((node) => node.id);
  const order: string[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    order.push(next);
    for (const edge of outgoing.get(next) ?? []) {
      const left = (remaining.get(edge.to) ?? 0) - 1;
      remaining.set(edge.to, left);
      if (left === 0) queue.push(edge.to);
    }
  }
  if (order.length < nodes.length) {
    const placed = new Set(order);
    order.push(...nodes.filter((node) => !placed.has(node.id)).map((node) => node.id));
  }
  return order;
}
