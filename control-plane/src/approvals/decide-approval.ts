import type { KeyObject } from 'node:crypto';
import { ERROR_CODES, type ErrorCode, FlowForgeError } from '@flowforge/connectors-sdk';
import {
  type ApprovalDecision,
  DECIDE_UPDATE,
  type DecisionClaims,
  type DecisionKind,
} from '@flowforge/connectors-sdk/contract';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { recordAudit } from '../audit.ts';
import type { Principal } from '../auth/api-keys.ts';
import type { PrismaClient } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { findRun } from '../runs/unseen-runs.ts';
import { signDecisionToken } from './decision-token.ts';
import { waitingApprovals } from './waiting-approvals.ts';

export interface DecideApprovalDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  signingKey: KeyObject;
}

export interface DecideApprovalInput {
  runId: string;
  /** Which waiting node; may be left out when the run waits for exactly one approval. */
  nodeId?: string | null | undefined;
  decision: DecisionKind;
  comment?: string | null | undefined;
  fields?: Record<string, unknown> | null | undefined;
  /** Only the node's wait that started then (approval links name the wait they were issued for). */
  since?: string | undefined;
}

/**
 * Sends the caller's decision to the run as a signed `decide` update and waits for the run to
 * accept it. The run's validator is the one judge (signature, node waiting, identity and roles,
 * form values): a refusal comes back as its FF_* code and leaves the run waiting. Every decision
 * and every refused attempt is written to the audit log.
 */
export async function decideApproval(
  deps: DecideApprovalDeps,
  principal: Principal,
  input: DecideApprovalInput,
): Promise<ApprovalDecision> {
  await assertRunInProject(deps, input.runId);
  const nodeId = input.nodeId ?? (await theOnlyWaitingNode(deps.temporal, input.runId));
  const claims: DecisionClaims = {
    runId: input.runId,
    nodeId,
    decision: input.decision,
    by: principal.user,
    roles: principal.roles,
    ...(input.comment != null ? { comment: input.comment } : {}),
    ...(input.fields != null ? { fields: input.fields } : {}),
    ...(input.since !== undefined ? { since: input.since } : {}),
    issuedAt: new Date().toISOString(),
  };
  const target = `run:${input.runId}/node:${nodeId}`;
  let decision: ApprovalDecision;
  try {
    decision = await deps.temporal.workflow
      .getHandle(input.runId)
      .executeUpdate<ApprovalDecision, [ReturnType<typeof signDecisionToken>]>(DECIDE_UPDATE, {
        args: [signDecisionToken(claims, deps.signingKey)],
      });
  } catch (cause) {
    const refused = refusal(cause, input.runId, nodeId);
    await recordAudit(deps.prisma, {
      actor: principal.actor,
      action: 'approval.denied',
      target,
      data: { user: principal.user, decision: input.decision, code: refused.code, message: refused.message },
    });
    throw refused;
  }
  await recordAudit(deps.prisma, {
    actor: principal.actor,
    action: `approval.${input.decision}`,
    target,
    // Form values are JSON from the caller (checked by the run's validator).
    data: { ...decision, roles: principal.roles } as Prisma.InputJsonValue,
  });
  return decision;
}

export async function assertRunInProject(
  deps: Pick<DecideApprovalDeps, 'prisma' | 'projectId' | 'temporal' | 'signingKey'>,
  runId: string,
): Promise<void> {
  // A child run waiting for approval may not have its Run row yet (runs/child-run-records.ts).
  const run = await findRun(deps, runId);
  if (!run || run.version.workflow.projectId !== deps.projectId) {
    throw new FlowForgeError('FF_NOT_FOUND', `no run with id "${runId}"`, {
      path: ['runId'],
      hint: 'flowforge approvals list shows the runs waiting for you',
    });
  }
}

export async function theOnlyWaitingNode(temporal: Client, runId: string): Promise<string> {
  const waiting = [...(await waitingApprovals(temporal, runId)).keys()];
  const [only] = waiting;
  if (only !== undefined && waiting.length === 1) return only;
  if (waiting.length === 0) {
    throw new FlowForgeError('FF_RUN_STATE', `run "${runId}" is not waiting for an approval`, {
      hint: 'flowforge runs show <runId> shows where the run is',
    });
  }
  throw new FlowForgeError('FF_BAD_INPUT', `run "${runId}" waits for several approvals: ${waiting.join(', ')}`, {
    path: ['nodeId'],
    hint: 'name one with --node (GraphQL: nodeId)',
  });
}

/** The validator's refusal (an ApplicationFailure whose type is an FF_* code) as a FlowForgeError. */
function refusal(cause: unknown, runId: string, nodeId: string): FlowForgeError {
  if (cause instanceof WorkflowNotFoundError) {
    return new FlowForgeError('FF_RUN_STATE', `run "${runId}" has ended: there is nothing to decide`, { cause });
  }
  if (cause instanceof WorkflowUpdateFailedError) {
    const failure = cause.cause as { type?: string; message?: string } | undefined;
    const code: ErrorCode = failure?.type && failure.type in ERROR_CODES ? (failure.type as ErrorCode) : 'FF_INTERNAL';
    return new FlowForgeError(code, failure?.message ?? cause.message, {
      cause,
      hint:
        code === 'FF_FORBIDDEN'
          ? 'ask someone with the role to decide, or use an API key with it; the run is still waiting'
          : `the run is still waiting; flowforge approvals list shows node "${nodeId}" and its fields`,
    });
  }
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal did not take the decision: ${(cause as Error).message}`, {
    cause,
    hint: 'check that Temporal and a worker are running (GET /healthz names what is down)',
  });
}
