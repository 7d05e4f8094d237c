import type { NodeState, RunEvent, RunEventKind, RunStatus } from '@flowforge/connectors-sdk/contract';

/** How far a node got: a later event of a node's iteration replaces an earlier one, never the reverse. */
const NODE_RANK: Partial<Record<RunEventKind, number>> = {
  'node.started': 1,
  'node.waiting': 2,
  'node.succeeded': 3,
  'node.failed': 3,
  'node.skipped': 3,
};

/**
 * What one subscriber has been told about a run, so that the seam between the run's current state
 * and the live events has no gap and no repeat: an event is passed on only when it moves the run
 * on (a node's later status, or the same node in a later loop iteration; the run's start once, its
 * end once). Live events that arrive late, twice (a sink call repeated with a retried workflow
 * task) or out of order (two workers, two replicas) are dropped rather than moving a node back.
 */
export class RunProgress {
  private readonly nodes = new Map<string, { iteration: number; rank: number }>();
  private started = false;
  private endedWith: RunEventKind | undefined;

  get ended(): boolean {
    return this.endedWith !== undefined;
  }

  accept(event: RunEvent): boolean {
    if (this.ended) return false;
    if (event.event === 'run.started') {
      if (this.started) return false;
      this.started = true;
      return true;
    }
    const rank = NODE_RANK[event.event];
    if (rank === undefined) {
      this.endedWith = event.event;
      return true;
    }
    if (event.nodeId === undefined) return false;
    const iteration = event.iteration ?? 0;
    const known = this.nodes.get(event.nodeId);
    if (known && (iteration < known.iteration || (iteration === known.iteration && rank <= known.rank))) return false;
    this.nodes.set(event.nodeId, { iteration, rank });
    return true;
  }
}

export interface RunSnapshot {
  runId: string;
  workflow: { name: string; version: number };
  status: RunStatus;
  startedAt: string;
  finishedAt?: string | undefined;
  nodes: Readonly<Record<string, NodeState>>;
}

/** The run's current state as the events that lead to it: its start, each node's latest status (oldest first), its end. */
export function snapshotEvents(snapshot: RunSnapshot): RunEvent[] {
  const { runId, workflow } = snapshot;
  const nodes: RunEvent[] = [];
  for (const [nodeId, node] of Object.entries(snapshot.nodes)) {
    const event = nodeEvent(node);
    if (!event) continue;
    const ended = event === 'node.succeeded' || event === 'node.failed';
    nodes.push({
      runId,
      event,
      nodeId,
      at: (ended ? node.finishedAt : node.startedAt) ?? node.startedAt ?? snapshot.startedAt,
      ...(node.iteration !== undefined ? { iteration: node.iteration } : {}),
      ...(ended ? { attempts: node.attempts } : {}),
      ...(event === 'node.waiting' ? { waitingFor: waitOf(node) } : {}),
    });
  }
  nodes.sort((a, b) => a.at.localeCompare(b.at));
  const end = endEvent(snapshot.status);
  return [
    { runId, event: 'run.started', at: snapshot.startedAt, workflow },
    ...nodes,
    ...(end ? [{ runId, event: end, at: snapshot.finishedAt ?? snapshot.startedAt, workflow }] : []),
  ];
}

/** TIMED_OUT ends the run on the Temporal server, where no run code runs: it shows as run.failed. */
export function endEvent(status: RunStatus): RunEventKind | undefined {
  switch (status) {
    case 'RUNNING':
      return undefined;
    case 'COMPLETED':
      return 'run.completed';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'run.failed';
    case 'CANCELLED':
      return 'run.cancelled';
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}

function nodeEvent(node: NodeState): RunEventKind | undefined {
  switch (node.status) {
    case 'pending':
      return undefined;
    case 'running':
      return 'node.started';
    case 'waiting':
      return 'node.waiting';
    case 'succeeded':
      return 'node.succeeded';
    case 'failed':
      return 'node.failed';
    case 'skipped':
      return 'node.skipped';
    default: {
      const unknown: never = node.status;
      return unknown;
    }
  }
}

function waitOf(node: NodeState): RunEvent['waitingFor'] {
  if (node.waitingFor?.kind === 'webhook') return 'webhook';
  if (node.waitingFor?.kind === 'subworkflow') return 'subworkflow';
  return node.waitingFor ? 'approval' : 'timer';
}
