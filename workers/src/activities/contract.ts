import type {
  ApprovalRequest,
  SerializedError,
  SubworkflowRequest,
  WebhookWaitRequest,
  WorkflowDefinition,
  WorkflowNode,
} from '@flowforge/connectors-sdk';
import type { SignedRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { LinkedWorkflows, PortOutput, ReuseMap, StartedBy } from '../run-state.ts';

/** The activities' wire types: pure types, so `runDag` can import them. */

export const EXECUTE_NODE_ACTIVITY = 'executeNode';
export const VERIFY_RUN_REQUEST_ACTIVITY = 'verifyRunRequest';

export interface VerifyRunRequestInput {
  signed: SignedRunRequest | undefined;
  dag: WorkflowDefinition;
  input: unknown;
  /** A retry's reused outputs: checked against the request's signed reuseHash. */
  reuse?: ReuseMap;
  /** The Temporal workflow id: a signed request is only good for the run id it names. */
  workflowId: string;
  /** A child run: the linked versions, which of them this run is, and Temporal's parent of this workflow. */
  linked?: LinkedWorkflows;
  startedBy?: StartedBy;
  parentWorkflowId?: string | undefined;
}

export interface VerifiedRun {
  /** The registry's default timeout for every node, by node id (used when a node sets none). */
  defaultTimeouts: Record<string, string>;
  /** The control plane's Ed25519 public key (raw, hex): approval decisions must be signed with it. */
  approvalPublicKey?: string;
}

export interface ExecuteNodeInput {
  /** `iteration`: a loop body node's iteration (> 0 only), part of its idempotency key. */
  run: { id: string; workflow: { name: string; version: number }; input?: unknown; iteration?: number };
  node: Pick<WorkflowNode, 'id' | 'type' | 'params'>;
  /** Live inputs per input port; each entry is one edge's items (or a stored reference to them). */
  inputs: Record<string, PortOutput[]>;
  /** Outputs of the earlier nodes the parameters reference with `$('id')`. */
  nodeOutputs: Record<string, Record<string, PortOutput>>;
}

export interface ExecuteNodeResult {
  outputs: Record<string, PortOutput>;
  /** ISO time: the node asked the run to wait durably before its outputs are delivered. */
  waitUntil?: string;
  /** core.approval: the run waits for a decision; `outputs.approved` holds the items until then. */
  approval?: ApprovalRequest;
  /** core.wait with resume: webhook: the run waits for a POST to the node's resume URL. */
  webhook?: WebhookWaitRequest;
  /** core.executeWorkflow: the run starts this linked version as a child run. */
  subworkflow?: SubworkflowRequest;
  /** Which attempt succeeded (1 = the first). */
  attempt: number;
}

/** `details[0]` of the ApplicationFailure an executeNode attempt fails with. */
export interface NodeFailureDetails {
  error: SerializedError;
  attempt: number;
}

/** Heartbeat details: lets the workflow count attempts even when the last one timed out. */
export interface NodeHeartbeat {
  attempt: number;
}
