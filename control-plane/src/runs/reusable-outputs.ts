import { backEdgesOf, findLoops, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { NodeState, ReuseMap } from '@flowforge/connectors-sdk/contract';

/**
 * What a retry may take over from the original run: the outputs of nodes that succeeded AND whose
 * every upstream node would settle the same way again (itself reused, or skipped only because of
 * such nodes). A node after one that runs again must run again too, or the retry would mix a
 * fresh upstream result with a stale downstream one (e.g. after an `onError: continue` failure).
 * A succeeded node whose output continue-as-new already dropped cannot be reused: it runs again.
 */
export function reusableOutputs(dag: WorkflowDefinition, nodes: Readonly<Record<string, NodeState>>): ReuseMap {
  const sources = new Map<string, string[]>();
  // A core.loop's back edges are its only cycles: without them the graph is acyclic, and a loop's
  // body depends on the loop node (which succeeded only once it emitted `done`).
  const backEdges = backEdgesOf(findLoops(dag.nodes, dag.edges));
  for (const edge of dag.edges) {
    if (!backEdges.has(edge)) sources.set(edge.to, [...(sources.get(edge.to) ?? []), edge.from]);
  }

  // Memoised over a DAG (validated acyclic once back edges are set aside), so each node is decided once.
  const settles = new Map<string, boolean>();
  const settlesSame = (id: string): boolean => {
    const known = settles.get(id);
    if (known !== undefined) return known;
    const state = nodes[id];
    const upstreamSame = (sources.get(id) ?? []).every(settlesSame);
    const same =
      upstreamSame && ((state?.status === 'succeeded' && state.output !== undefined) || state?.status === 'skipped');
    settles.set(id, same);
    return same;
  };

  const reuse: ReuseMap = {};
  for (const node of dag.nodes) {
    const state = nodes[node.id];
    if (state?.status === 'succeeded' && state.output !== undefined && settlesSame(node.id)) {
      reuse[node.id] = state.output;
    }
  }
  return reuse;
}
