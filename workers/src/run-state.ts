import type { Item, SerializedError, WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { SignedRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { LoopProgress, LoopsCarry } from './activities/loop-contract.ts';
import type { ApprovalWait } from './approvals/contract.ts';
import type { WebhookWait } from './webhook-resume/contract.ts';

/**
 * The wire contract between the control plane and `runDag` (pure types: the workflow imports it).
 * A run's progress lives in Temporal: the control plane reads it with the `runState` query.
 */

export const RUN_DAG_WORKFLOW = 'runDag';
export const RUN_STATE_QUERY = 'runState';
/** Run control updates (workflows/run-control.ts): no new node starts while paused. */
export const PAUSE_UPDATE = 'pause';
export const RESUME_UPDATE = 'resume';
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
  /**
   * A retry: outputs of the nodes that succeeded in the original run, by node id. Those nodes are
   * marked succeeded (`reused`) without running; the signed request carries this map's hash.
   */
  reuse?: ReuseMap;
  /**
   * The published versions this run, and the runs it starts, may start as child runs: the targets of
   * core.executeWorkflow nodes and the error workflow, resolved (and hashed into the signed request)
   * when the top-level run started. Keyed by `linkedKey()`.
   */
  linked?: LinkedWorkflows;
  /** A run started by another run: `signed` is then the top-level run's request (see `verifyLinkedRunRequest`). */
  startedBy?: StartedBy;
}

export interface LinkedWorkflow {
  name: string;
  version: number;
  dagHash: string;
  dag: WorkflowDefinition;
}

export type LinkedWorkflows = Record<string, LinkedWorkflow>;

/** How a node or setting names a linked version: `name@3`, or `name@latest` (latest when the run started). */
export function linkedKey(name: string, version?: number): string {
  return `${name}@${version ?? 'latest'}`;
}

/** Child runs of child runs stop here: a workflow that calls itself fails instead of running forever. */
export const MAX_RUN_DEPTH = 8;

/** core.executeWorkflow with wait: the node waits for its child run to end. */
export interface SubworkflowWait {
  kind: 'subworkflow';
  runId: string;
  workflow: { name: string; version: number };
  since: string;
}

export interface StartedBy {
  kind: 'subworkflow' | 'error';
  /** The run (Temporal workflow id) that started this one: Temporal's parent of this workflow. */
  runId: string;
  /** core.executeWorkflow: the node that started it. */
  nodeId?: string;
  /** Which linked version this run is. */
  key: string;
  /** 1 for a child of a top-level run. */
  depth: number;
}

export type ReuseMap = Record<string, Record<string, PortOutput>>;

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
  /** What a `waiting` node waits for: a person's decision (core.approval) or its resume webhook (core.wait). */
  waitingFor?: ApprovalWait | WebhookWait | SubworkflowWait;
  /** A retry took this node's output from the original run instead of running it. */
  reused?: boolean;
  /** core.executeWorkflow: the child run it started. */
  childRun?: string;
  /** A core.loop node: which batch its body is on and how far it got. */
  loop?: LoopProgress;
  /** A node in a loop's body: the iteration (from 1) its state is from. */
  iteration?: number;
}

export interface RunState {
  status: RunStatus;
  nodes: Record<string, NodeState>;
  error?: SerializedError;
  /** Paused by the `pause` update: running nodes finish, no new node starts until `resume`. */
  paused?: boolean;
  /** The run this one started as its error workflow (settings.errorWorkflow) when it failed. */
  errorRun?: string;
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
  paused?: boolean;
  /** core.loop progress: cursors and collected results (workflows/loop-runs.ts). */
  loops?: LoopsCarry;
}

export function isArtifactRef(value: PortOutput | undefined): value is ArtifactRef {
  return value !== undefined && !Array.isArray(value) && typeof value.$artifact === 'string';
}
