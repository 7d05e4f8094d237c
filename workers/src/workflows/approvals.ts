import { type ApprovalRequest, durationToMs, type Item, type SerializedError } from '@flowforge/connectors-sdk';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import {
  ApplicationFailure,
  condition,
  defineUpdate,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type ApprovalDecision,
  type ApprovalWait,
  approvalWait,
  checkDecision,
  DECIDE_UPDATE,
  type DecisionClaims,
  type DecisionToken,
  TIMEOUT_DECIDER,
  verifyDecisionToken,
  WAITING_APPROVAL_SEARCH_ATTRIBUTE,
} from '../approvals/index.ts';
import { isArtifactRef, type PortOutput } from '../run-state.ts';
import { nodeFailure } from './node-activity.ts';

export const decideUpdate = defineUpdate<ApprovalDecision, [DecisionToken]>(DECIDE_UPDATE);

const WAITING_APPROVAL_KEY = defineSearchAttributeKey(
  WAITING_APPROVAL_SEARCH_ATTRIBUTE,
  SearchAttributeType.KEYWORD_LIST,
);

/** How the run shows a node while it waits (the DagRun's setter, so all state changes go one way). */
export type SetWaiting = (wait: ApprovalWait) => void;

/**
 * Durable human approval inside `runDag`: a waiting node is a `condition` on a decision that only
 * the `decide` update can bring (nothing polls), raced with the node's timeout as a workflow timer.
 * The update's validator checks the control plane's signature, the run and node, that the node is
 * still waiting, the decider's identity and roles, and the form values; a rejected update is not
 * written to history and leaves the node waiting.
 */
export class ApprovalGate {
  private readonly waits = new Map<string, ApprovalWait>();
  private readonly decisions = new Map<string, ApprovalDecision>();
  private readonly publicKeyHex: string | undefined;

  constructor(publicKeyHex: string | undefined) {
    this.publicKeyHex = publicKeyHex;
    setHandler(decideUpdate, (token) => this.accept(token), {
      validator: (token) => {
        this.validate(token);
      },
      description: 'A signed approve/reject decision for a core.approval node that is waiting.',
    });
  }

  /**
   * Waits for the decision on `nodeId` and returns the node's outputs: `pending` (the items the
   * activity passed through) with the decision merged onto each item's json, on the chosen port.
   */
  async wait(
    nodeId: string,
    request: ApprovalRequest,
    pending: PortOutput | undefined,
    setWaiting: SetWaiting,
  ): Promise<Record<string, PortOutput>> {
    const since = new Date();
    const timeoutMs = request.timeout === undefined ? undefined : durationToMs(request.timeout);
    const until = timeoutMs === undefined ? undefined : new Date(since.getTime() + timeoutMs).toISOString();
    const wait = approvalWait(request, since.toISOString(), until);
    this.waits.set(nodeId, wait);
    setWaiting(wait);
    this.publishWaiting();
    try {
      const isDecided = () => this.decisions.has(nodeId);
      let decided = true;
      if (timeoutMs === undefined) await condition(isDecided);
      else decided = await condition(isDecided, timeoutMs);
      const decision = decided ? (this.decisions.get(nodeId) as ApprovalDecision) : this.timedOut(nodeId, wait);
      return { [decision.decision === 'approve' ? 'approved' : 'rejected']: withDecision(pending, decision) };
    } finally {
      // Forget both: a node that runs again (a loop) waits for a new decision.
      this.waits.delete(nodeId);
      this.decisions.delete(nodeId);
      this.publishWaiting();
    }
  }

  private validate(token: DecisionToken): DecisionClaims {
    const fail = (type: string, message: string): never => {
      throw ApplicationFailure.create({ type, message, nonRetryable: true });
    };
    if (this.publicKeyHex === undefined) {
      return fail('FF_APPROVAL_INVALID', 'this run cannot check decisions yet (its request is not verified)');
    }
    const claims = verifyDecisionToken(token, this.publicKeyHex);
    if (!claims) {
      return fail('FF_APPROVAL_INVALID', "the decision token is malformed or not signed by this run's control plane");
    }
    const runId = workflowInfo().workflowId;
    if (claims.runId !== runId) {
      return fail('FF_APPROVAL_INVALID', `the decision was signed for run "${claims.runId}", not "${runId}"`);
    }
    const wait = this.waits.get(claims.nodeId);
    if (!wait || this.decisions.has(claims.nodeId)) {
      const waiting = [...this.waits.keys()].filter((id) => !this.decisions.has(id));
      return fail(
        'FF_RUN_STATE',
        `node "${claims.nodeId}" is not waiting for an approval (waiting: ${waiting.map((id) => `"${id}"`).join(', ') || 'none'})`,
      );
    }
    if (claims.since !== undefined && claims.since !== wait.since) {
      return fail(
        'FF_RUN_STATE',
        `the decision was for node "${claims.nodeId}"'s wait since ${claims.since}, which has ended; it waits again since ${wait.since}`,
      );
    }
    const problem = checkDecision(claims.nodeId, wait, claims);
    if (problem) return fail(problem.code, problem.message);
    return claims;
  }

  private accept(token: DecisionToken): ApprovalDecision {
    // On replay the validator does not run again; an accepted update's token was valid then.
    const claims = JSON.parse(token.claims) as DecisionClaims;
    const decision: ApprovalDecision = {
      decision: claims.decision,
      by: claims.by,
      at: new Date().toISOString(),
      ...(claims.comment !== undefined ? { comment: claims.comment } : {}),
      fields: claims.fields ?? {},
    };
    this.decisions.set(claims.nodeId, decision);
    return decision;
  }

  private timedOut(nodeId: string, wait: ApprovalWait): ApprovalDecision {
    const at = new Date().toISOString();
    if (wait.onTimeout === 'fail') {
      const error: SerializedError = {
        code: 'FF_APPROVAL_TIMEOUT',
        message: `approval "${nodeId}": nobody decided by ${wait.until}`,
        hint: 'decide sooner, raise the node\'s "timeout", or set onTimeout to "approve" or "reject"',
        retryable: false,
      };
      throw nodeFailure(error);
    }
    return { decision: wait.onTimeout, by: TIMEOUT_DECIDER, at, fields: {} };
  }

  /** The search attribute lists the waiting node ids, so the control plane finds waiting runs without polling runs. */
  private publishWaiting(): void {
    const ids = [...this.waits.keys()];
    upsertSearchAttributes([{ key: WAITING_APPROVAL_KEY, value: ids.length > 0 ? ids : null }]);
  }
}

/**
 * The decision merged onto each passed-through item (its fields win over same-named item fields);
 * no items, or items too big for history (a claim-check reference): one item with the decision alone.
 */
function withDecision(pending: PortOutput | undefined, decision: ApprovalDecision): Item[] {
  if (pending === undefined || isArtifactRef(pending) || pending.length === 0) return [{ json: { ...decision } }];
  return pending.map((item) => ({ ...item, json: { ...item.json, ...decision } }));
}
