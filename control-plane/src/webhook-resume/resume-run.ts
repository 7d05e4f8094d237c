import { ERROR_CODES, type ErrorCode, FlowForgeError } from '@flowforge/connectors-sdk';
import { RESUME_WEBHOOK_UPDATE, type ResumeAccepted, type ResumeDelivery } from '@flowforge/connectors-sdk/contract';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { recordAudit } from '../audit.ts';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { readResumeToken } from './resume-token.ts';

export type ResumeRunDeps = Pick<ControlPlaneServices, 'prisma' | 'temporal' | 'signingKey'>;

/**
 * Delivers a POST to a resume URL: checks the token (400 when tampered), then sends the body to
 * the run as the `resumeWebhook` update and waits until the run took it. The run's validator is
 * the one judge of "still waiting": a second POST, or one after the wait ended, answers
 * FF_RESUME_LINK_USED (410). Accepted resumes are written to the audit log (without the body).
 */
export async function resumeRun(deps: ResumeRunDeps, token: string, body: unknown): Promise<ResumeAccepted> {
  const { claims, token: runToken } = readResumeToken(token, deps.signingKey);
  const delivery: ResumeDelivery = { token: runToken, body };
  let accepted: ResumeAccepted;
  try {
    accepted = await deps.temporal.workflow
      .getHandle(claims.runId)
      .executeUpdate<ResumeAccepted, [ResumeDelivery]>(RESUME_WEBHOOK_UPDATE, { args: [delivery] });
  } catch (cause) {
    throw refusal(cause, claims.runId);
  }
  await recordAudit(deps.prisma, {
    actor: 'webhook:resume',
    action: 'wait.resume',
    target: `run:${claims.runId}/node:${claims.nodeId}`,
    data: { since: claims.since, at: accepted.at },
  });
  return accepted;
}

function refusal(cause: unknown, runId: string): FlowForgeError {
  if (cause instanceof WorkflowNotFoundError) {
    return new FlowForgeError('FF_RESUME_LINK_USED', `run "${runId}" has ended: its resume links are used up`, {
      cause,
      hint: `flowforge runs show ${runId} shows what happened`,
    });
  }
  if (cause instanceof WorkflowUpdateFailedError) {
    const failure = cause.cause as { type?: string; message?: string } | undefined;
    const code: ErrorCode = failure?.type && failure.type in ERROR_CODES ? (failure.type as ErrorCode) : 'FF_INTERNAL';
    return new FlowForgeError(code, failure?.message ?? cause.message, {
      cause,
      hint: `flowforge runs show ${runId} shows the node's current resume URL, if it waits`,
    });
  }
  return new FlowForgeError('FF_UNAVAILABLE', `Temporal did not take the resume: ${(cause as Error).message}`, {
    cause,
    hint: 'check that Temporal and a worker are running (GET /healthz names what is down); then POST again',
  });
}
