import type { NodeState, RunState } from '@flowforge/connectors-sdk/contract';
import { emitRunEvent, nodeChangeEvent } from './run-events.ts';

/**
 * The one writer of a run's node states, which the `runState` query reads: the scheduler, the loop
 * runs, a retry's reuse and the end of a run all change nodes through `set`. A core.loop tags what
 * is written with its iteration (loop-runs.ts), so every state says which batch it is from.
 */
export class NodeStates {
  private readonly state: RunState;
  private tagger: (id: string, node: NodeState) => NodeState = (_id, node) => node;

  constructor(state: RunState) {
    this.state = state;
  }

  get all(): Readonly<Record<string, NodeState>> {
    return this.state.nodes;
  }

  get(id: string): NodeState | undefined {
    return this.state.nodes[id];
  }

  /** Also the one source of the run's live node events (./run-events.ts). */
  set(id: string, node: NodeState): void {
    const before = this.state.nodes[id];
    const after = this.tagger(id, node);
    this.state.nodes[id] = after;
    const event = nodeChangeEvent(id, before, after, () => new Date().toISOString());
    if (event) emitRunEvent(event);
  }

  tagWith(tagger: (id: string, node: NodeState) => NodeState): void {
    this.tagger = tagger;
  }

  /** Running and waiting nodes end as failed with the reason; pending ones stay pending (never started). */
  markUnfinished(reason: string, at: string): void {
    for (const [id, node] of Object.entries(this.state.nodes)) {
      if (node.status !== 'running' && node.status !== 'waiting') continue;
      this.set(id, {
        ...node,
        status: 'failed',
        error: { code: 'FF_NODE_FAILED', message: `node "${id}" did not finish: ${reason}`, retryable: false },
        finishedAt: at,
      });
    }
  }
}
