import type { WorkflowGraph } from '@flowforge/connectors-sdk';
import type { CarriedState, NodeState } from '@flowforge/connectors-sdk/contract';
import { isFinished } from './ready-nodes.ts';
import { referencedNodes } from './referenced-nodes.ts';

/**
 * The state handed to the next execution on continue-as-new. Every node's status, attempts,
 * times and error are kept (the `runState` query keeps answering for the whole run); a node's
 * `output` is dropped once nothing still needs it: every node it feeds has finished and no
 * unfinished node reads it with `$('id')`. Sink nodes (no outgoing edges) keep theirs: they are
 * the run's result. That keeps the carried input, and so the history of
 * each execution, from growing with the length of the run. Consequence (documented in the
 * README): after continue-as-new the query no longer shows those consumed outputs.
 */
export function carryState(graph: WorkflowGraph, nodes: Readonly<Record<string, NodeState>>): CarriedState {
  const stillNeeded = new Set<string>();
  for (const [id, node] of graph.nodes) {
    if ((graph.outgoing.get(id) ?? []).length === 0) stillNeeded.add(id);
    const state = nodes[id];
    if (state && isFinished(state)) continue;
    for (const edge of graph.incoming.get(id) ?? []) stillNeeded.add(edge.from);
    for (const referenced of referencedNodes(node.params)) stillNeeded.add(referenced);
  }
  const carried: Record<string, NodeState> = {};
  for (const [id, state] of Object.entries(nodes)) {
    if (state.output === undefined || stillNeeded.has(id)) {
      carried[id] = state;
    } else {
      const { output: _dropped, ...rest } = state;
      carried[id] = rest;
    }
  }
  return { nodes: carried };
}
