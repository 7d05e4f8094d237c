import type { ApprovalField, ApprovalOnTimeout, ApprovalRequest } from '@flowforge/connectors-sdk';

/**
 * The approvals wire contract between the control plane and `runDag` (pure: the workflow imports it).
 * A decision reaches a run as the `decide` update carrying a token the control plane signed with
 * its run-signing key; the run's validator checks it before the decision is accepted.
 */

export const DECIDE_UPDATE = 'decide';
/** Keyword list of the node ids waiting for a decision; the control plane finds waiting runs by it. */
export const WAITING_APPROVAL_SEARCH_ATTRIBUTE = 'FlowForgeWaitingApproval';
/** This role may decide any approval. */
export const ADMIN_ROLE = 'admin';
/** Who decided when the timeout decided. */
export const TIMEOUT_DECIDER = 'system:timeout';

export type DecisionKind = 'approve' | 'reject';

/** A node's state while it waits for a decision (`NodeState.waitingFor`). */
export interface ApprovalWait {
  kind: 'approval';
  message?: string | undefined;
  roles: string[];
  users: string[];
  fields: Record<string, ApprovalField>;
  onTimeout: ApprovalOnTimeout;
  /** Workflow time (ISO) the wait began. */
  since: string;
  /** When the timeout decides (ISO); absent: waits until someone decides. */
  until?: string | undefined;
}

/** What the control plane signs: who decided what for which run and node. */
export interface DecisionClaims {
  runId: string;
  nodeId: string;
  decision: DecisionKind;
  /** The deciding user (from the caller's API key). */
  by: string;
  roles: string[];
  comment?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  issuedAt: string;
  /**
   * The wait this decision is for (its `since`). An approval link names it, so a link handed out
   * for one wait cannot decide a later wait of the same node (a core.loop runs it again).
   */
  since?: string | undefined;
}

/**
 * `claims` is the exact JSON text that was signed, so the verifier needs no canonical JSON; the
 * signature is hex Ed25519 over its UTF-8 bytes.
 */
export interface DecisionToken {
  claims: string;
  signature: string;
}

/** The decision as the node outputs it (merged onto each item's json) and the update returns it. */
export interface ApprovalDecision {
  decision: DecisionKind;
  by: string;
  /** Workflow time (ISO) the decision was accepted. */
  at: string;
  comment?: string;
  fields: Record<string, unknown>;
}

export function approvalWait(request: ApprovalRequest, since: string, until: string | undefined): ApprovalWait {
  return {
    kind: 'approval',
    ...(request.message !== undefined ? { message: request.message } : {}),
    roles: request.roles,
    users: request.users,
    fields: request.fields,
    onTimeout: request.onTimeout,
    since,
    ...(until !== undefined ? { until } : {}),
  };
}
