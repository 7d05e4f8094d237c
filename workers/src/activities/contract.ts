import type {
  ApprovalRequest,
  SubworkflowRequest,
  WebhookWaitRequest,
  WorkflowDefinition,
} from '@flowforge/connectors-sdk';
import type {
  ExecuteNodeInput,
  ExecuteNodeResult,
  LinkedWorkflows,
  LoopPage,
  NodeTypesAnswer,
  PortOutput,
  ReuseMap,
  ScheduleTriggerItem,
  SignedRunRequest,
  StartedBy,
} from '@flowforge/connectors-sdk/contract';
import type { LoadLoopPageInput, StartLoopInput, StartLoopResult, StoreLoopResultsInput } from './loop-contract.ts';

/**
 * The activities' wire types: pure types, so `runDag` can import them. executeNode's input, result
 * and failure details are part of the engine contract (@flowforge/connectors-sdk/contract), since
 * the control plane reads them back from history.
 */
export type { ExecuteNodeInput, ExecuteNodeResult, NodeFailureDetails } from '@flowforge/connectors-sdk/contract';

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
  /** What Temporal recorded about how this execution started (workflowInfo()): scheduled runs are checked against it. */
  execution?: ExecutionFacts;
}

/** From the run's start event, as the workflow sees it: written by the server, not by whoever started it. */
export interface ExecutionFacts {
  firstExecutionRunId: string;
  /** Set when this execution continues an earlier one of the same run (continue-as-new). */
  continuedFromExecutionRunId?: string | undefined;
  /** When the run (its first execution) started, ISO. */
  startTime: string;
  /** The TemporalScheduledById and TemporalScheduledStartTime search attributes, when set. */
  scheduledById?: string | undefined;
  scheduledStartTime?: string | undefined;
}

export interface VerifiedRun {
  /** The registry's default timeout for every node, by node id (used when a node sets none). */
  defaultTimeouts: Record<string, string>;
  /**
   * The nodes whose type has the `durableWait` capability. Absent in runs verified before
   * descriptors carried capabilities: their histories replay with the types that had it then.
   */
  durableWaits?: string[];
  /**
   * At most this many nodes in progress at once (running, or waiting on a timer, a decision or a
   * child run): the worker's FLOWFORGE_MAX_IN_FLIGHT_NODES when the run was verified. Absent in
   * runs verified before the cap existed, which replay without one.
   */
  maxInFlight?: number;
  /**
   * The nodes to run as local activities: types with the `pure` capability, when the worker allows
   * it (FLOWFORGE_LOCAL_PURE_NODES). Absent in runs verified before: they run every node remote.
   */
  localNodes?: string[];
  /** The control plane's Ed25519 public key (raw, hex): approval decisions must be signed with it. */
  approvalPublicKey?: string;
  /**
   * A run a Temporal Schedule started: what its trigger nodes get as the run input instead of the
   * (fixed) input of the schedule's action. Recorded with the verification, so replays read it back.
   */
  triggerItem?: ScheduleTriggerItem;
}

/**
 * ExecuteNodeResult as activities wrote it before `effect` (one optional field per kind): recorded
 * histories still hold it, and `runDag` reads it through `effectOf` (workflows/node-effect.ts).
 */
export interface LegacyExecuteNodeResult extends ExecuteNodeResult {
  waitUntil?: string;
  approval?: ApprovalRequest;
  webhook?: WebhookWaitRequest;
  subworkflow?: SubworkflowRequest;
}

/** Heartbeat details: lets the workflow count attempts even when the last one timed out. */
export interface NodeHeartbeat {
  attempt: number;
}

/**
 * The worker's activities as `runDag` calls them (proxyActivities). Declared here, with the wire
 * types, so workflow code never imports the modules that implement them (activities/index.ts
 * checks that the implementations fit).
 */
export interface FlowForgeActivities {
  executeNode(input: ExecuteNodeInput): Promise<ExecuteNodeResult>;
  verifyRunRequest(input: VerifyRunRequestInput): Promise<VerifiedRun>;
  startLoop(input: StartLoopInput): Promise<StartLoopResult>;
  loadLoopPage(input: LoadLoopPageInput): Promise<LoopPage>;
  storeLoopResults(input: StoreLoopResultsInput): Promise<PortOutput>;
  /** The node types this worker runs, for the control plane's catalogue (workflows/describe-node-types.ts). */
  offeredNodeTypes(): Promise<NodeTypesAnswer>;
}
