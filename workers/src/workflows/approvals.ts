import type { ApprovalRequest, Item, SerializedError } from '@flowforge/connectors-sdk';
import {
  type ApprovalDecision,
  type ApprovalWait,
  approvalWait,
  checkDecision,
  DECIDE_UPDATE,
  type DecisionClaims,
  type DecisionToken,
  decisionClaimsSchema,
  isArtifactRef,
  type PortOutput,
  TIMEOUT_DECIDER,
  verifySignedClaims,
  WAITING_APPROVAL_KEY,
} from '@flowforge/connectors-sdk/contract';
import { defineUpdate, upsertSearchAttributes } from '@temporalio/workflow';
import { nodeFailure } from './node-activity.ts';
import { SignedWaitGate, type SignedWaitKind } from './signed-wait-gate.ts';

export const decideUpdate = defineUpdate<ApprovalDecision, [DecisionToken]>(DECIDE_UPDATE);

/**
 * Durable human approval: a core.approval node waits at the signed-wait gate for the `decide`
 * update. Beyond the gate's checks, the decider must be allowed and the form values must fit
 * (checkDecision). While nodes wait, the `FlowForgeWaitingApproval` search attribute lists them,
 * so the control plane finds waiting runs without querying every run.
 */
const approvalKind: SignedWaitKind<ApprovalWait, DecisionToken, DecisionClaims, ApprovalDecision, ApprovalDecision> = {
  update: decideUpdate,
  description: 'A signed approve/reject decision for a core.approval node that is waiting.',
  verify: (token, publicKeyHex) => verifySignedClaims(token, publicKeyHex, decisionClaimsSchema()),
  unverifiable: {
    code: 'FF_APPROVAL_INVALID',
    message: "the decision token is malformed or not signed by this run's control plane",
  },
  wrongRun: (claims, runId) => ({
    code: 'FF_APPROVAL_INVALID',
    message: `the decision was signed for run "${claims.runId}", not "${runId}"`,
  }),
  notWaiting: (claims, waiting) => ({
    code: 'FF_RUN_STATE',
    message: `node "${claims.nodeId}" is not waiting for an approval (waiting: ${waiting.map((id) => `"${id}"`).join(', ') || 'none'})`,
  }),
  staleWait: (claims, wait) => ({
    code: 'FF_RUN_STATE',
    message: `the decision was for node "${claims.nodeId}"'s wait since ${claims.since}, which has ended; it waits again since ${wait.since}`,
  }),
  check: (claims, wait) => checkDecision(claims.nodeId, wait, claims),
  take(token) {
    const claims = JSON.parse(token.claims) as DecisionClaims;
    const decision: ApprovalDecision = {
      decision: claims.decision,
      by: claims.by,
      at: new Date().toISOString(),
      ...(claims.comment !== undefined ? { comment: claims.comment } : {}),
      fields: claims.fields ?? {},
    };
    return { nodeId: claims.nodeId, taken: decision, answer: decision };
  },
  waitingChanged: (waiting) => {
    upsertSearchAttributes([{ key: WAITING_APPROVAL_KEY, value: waiting.length > 0 ? [...waiting] : null }]);
  },
};

export type ApprovalGate = SignedWaitGate<
  ApprovalWait,
  DecisionToken,
  DecisionClaims,
  ApprovalDecision,
  ApprovalDecision
>;

export function approvalGate(publicKeyHex: string | undefined): ApprovalGate {
  return new SignedWaitGate(approvalKind, publicKeyHex);
}

/**
 * Waits for the decision on `nodeId` and returns the node's outputs: `pending` (the items the
 * activity passed through) with the decision merged onto each item's json, on the chosen port.
 * Nobody deciding in time decides as `onTimeout` says, or fails the node (FF_APPROVAL_TIMEOUT).
 */
export async function waitForDecision(
  gate: ApprovalGate,
  nodeId: string,
  request: ApprovalRequest,
  pending: PortOutput | undefined,
  showWaiting: (wait: ApprovalWait) => void,
): Promise<Record<string, PortOutput>> {
  const { since, until, timeoutMs } = SignedWaitGate.window(request.timeout);
  const wait = approvalWait(request, since, until);
  showWaiting(wait);
  const decision = (await gate.wait(nodeId, wait, timeoutMs)) ?? timedOut(nodeId, wait);
  return { [decision.decision === 'approve' ? 'approved' : 'rejected']: withDecision(pending, decision) };
}

function timedOut(nodeId: string, wait: ApprovalWait): ApprovalDecision {
  if (wait.onTimeout === 'fail') {
    const error: SerializedError = {
      code: 'FF_APPROVAL_TIMEOUT',
      message: `approval "${nodeId}": nobody decided by ${wait.until}`,
      hint: 'decide sooner, raise the node\'s "timeout", or set onTimeout to "approve" or "reject"',
      retryable: false,
    };
    throw nodeFailure(error);
  }
  return { decision: wait.onTimeout, by: TIMEOUT_DECIDER, at: new Date().toISOString(), fields: {} };
}

/**
 * The decision merged onto each passed-through item (its fields win over same-named item fields);
 * no items, or items too big for history (a claim-check reference): one item with the decision alone.
 */
function withDecision(pending: PortOutput | undefined, decision: ApprovalDecision): Item[] {
  if (pending === undefined || isArtifactRef(pending) || pending.length === 0) return [{ json: { ...decision } }];
  return pending.map((item) => ({ ...item, json: { ...item.json, ...decision } }));
}
