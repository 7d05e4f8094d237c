import type { WorkflowEdge, WorkflowGraph } from '@flowforge/connectors-sdk';
import { type NodeState, type PortOutput, portFired } from '@flowforge/connectors-sdk/contract';

/** Whether an edge can still change (`unresolved`), carries items (`live`) or never will (`dead`). */
export type EdgeState = 'unresolved' | 'live' | 'dead';

/** A node to start now, with its live inputs grouped by input port (edges into one port concatenate). */
export interface NodeToRun {
  id: string;
  inputs: Record<string, PortOutput[]>;
}

/** What the scheduler does next: start these nodes, mark these skipped (their outputs are dead). */
export interface Step {
  run: NodeToRun[];
  skip: string[];
}

export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

export function edgeState(edge: WorkflowEdge, source: NodeState | undefined): EdgeState {
  if (source === undefined) return 'dead';
  switch (source.status) {
    // A node still going on may already have delivered a port: a core.loop node (./loops.ts)
    // holds its current batch on `loop` while it iterates. No other node has an output before it
    // finishes, so for them this is `unresolved` as always.
    case 'pending':
    case 'running':
    case 'waiting':
      return portFired(source.output?.[edge.fromPort]) ? 'live' : 'unresolved';
    case 'skipped':
      return 'dead';
    // A failed node resolves its edges too: with onError continue/errorOutput its error item is
    // an output like any other; with stop the run is over before anyone looks.
    case 'succeeded':
    case 'failed':
      return portFired(source.output?.[edge.fromPort]) ? 'live' : 'dead';
    default:
      return assertNever(source.status, 'node status');
  }
}

/**
 * The scheduling decision, as a pure function: which pending nodes are ready to run and which
 * must be skipped. A node is ready when every incoming edge is resolved and at least one is live;
 * all dead means skipped. Nodes without incoming edges (triggers) are ready at once. One pass in
 * topological order suffices: a skip is seen by the nodes after it in the same pass.
 */
export function nextStep(graph: WorkflowGraph, nodes: Readonly<Record<string, NodeState>>): Step {
  const skipped = new Set<string>();
  const step: Step = { run: [], skip: [] };
  const stateOf = (id: string): NodeState | undefined =>
    skipped.has(id) ? { status: 'skipped', attempts: 0 } : nodes[id];
  for (const id of graph.order) {
    if (nodes[id]?.status !== 'pending') continue;
    const edges = graph.incoming.get(id) ?? [];
    if (edges.length === 0) {
      step.run.push({ id, inputs: {} });
      continue;
    }
    const states = edges.map((edge) => edgeState(edge, stateOf(edge.from)));
    if (states.includes('unresolved')) continue;
    if (!states.includes('live')) {
      skipped.add(id);
      step.skip.push(id);
      continue;
    }
    const inputs: Record<string, PortOutput[]> = {};
    edges.forEach((edge, index) => {
      if (states[index] !== 'live') return;
      const output = nodes[edge.from]?.output?.[edge.fromPort];
      if (output === undefined) return;
      const port = inputs[edge.toPort];
      if (port) port.push(output);
      else inputs[edge.toPort] = [output];
    });
    step.run.push({ id, inputs });
  }
  return step;
}

/** True when no node can change any more: the run is over. */
export function isSettled(nodes: Readonly<Record<string, NodeState>>): boolean {
  return Object.values(nodes).every((node) => isFinished(node));
}

export function isFinished(node: NodeState): boolean {
  switch (node.status) {
    case 'succeeded':
    case 'failed':
    case 'skipped':
      return true;
    case 'pending':
    case 'running':
    case 'waiting':
      return false;
    default:
      return assertNever(node.status, 'node status');
  }
}
