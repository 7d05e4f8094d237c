import type { Item, SerializedError, WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { SignedRunRequest } from '@flowforge/connectors-sdk/run-request';

/**
 * The wire contract between the control plane and `runDag` (pure types: the workflow imports it).
 * A run's progress lives in Temporal: the control plane reads it with the `runState` query.
 */

export const RUN_DAG_WORKFLOW = 'runDag';
export const RUN_STATE_QUERY = 'runState';
export const DEFAULT_TASK_QUEUE = 'flowforge';
/** Custom search attributes, registered on the dev server by `npm start` and the tests. */
export const SEARCH_ATTRIBUTES = { workflow: 'FlowForgeWorkflow', version: 'FlowForgeVersion' } as const;

export interface RunDagInput {
  signed: SignedRunRequest;
  dag: WorkflowDefinition;
  input: unknown;
  workflow: { name: string; version: number };
  /** Present after continue-as-new: what the previous execution of this run had done. */
  carried?: CarriedState;
}

/** Claim check: a node output too big for Temporal history, stored in the artefact store. */
export interface ArtifactRef {
  $artifact: string;
  bytes: number;
  items: number;
}

export type PortOutput = Item[] | ArtifactRef;

export type NodeStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'waiting';
export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

export interface NodeState {
  status: NodeStatus;
  attempts: number;
  output?: Record<string, PortOutput>;
  error?: SerializedError;
  startedAt?: string;
  finishedAt?: string;
  /** For a durable wait: until when (ISO). */
  waitingUntil?: string;
}

export interface RunState {
  status: RunStatus;
  nodes: Record<string, NodeState>;
  error?: SerializedError;
}

/** What `runDag` returns when it completes: the outputs of the sink nodes (no outgoing edges). */
export interface RunDagResult {
  status: 'COMPLETED';
  outputs: Record<string, Record<string, PortOutput>>;
}

/**
 * Carried over continue-as-new. Every node's status, attempts, times and error are kept; outputs
 * nobody needs any more (all consumers finished, no pending `$('id')` reader, not a sink) are dropped.
 */
export interface CarriedState {
  nodes: Record<string, NodeState>;
}

export function isArtifactRef(value: PortOutput | undefined): value is ArtifactRef {
  return value !== undefined && !Array.isArray(value) && typeof value.$artifact === 'string';
}
