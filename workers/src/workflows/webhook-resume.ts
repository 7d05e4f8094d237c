import type { SerializedError, WebhookWaitRequest } from '@flowforge/connectors-sdk';
import {
  type PortOutput,
  RESUME_WEBHOOK_UPDATE,
  type ResumeAccepted,
  type ResumeClaims,
  type ResumeDelivery,
  resumeClaimsSchema,
  resumeItems,
  verifySignedClaims,
  type WebhookWait,
} from '@flowforge/connectors-sdk/contract';
import { defineUpdate } from '@temporalio/workflow';
import { nodeFailure } from './node-activity.ts';
import { SignedWaitGate, type SignedWaitKind } from './signed-wait-gate.ts';

export const resumeWebhookUpdate = defineUpdate<ResumeAccepted, [ResumeDelivery]>(RESUME_WEBHOOK_UPDATE);

const used = (claims: ResumeClaims) => ({
  code: 'FF_RESUME_LINK_USED' as const,
  message: `the resume link of node "${claims.nodeId}" was used already, or the wait it was made for has ended`,
});

/**
 * `core.wait` with `resume: "webhook"`: the node waits at the signed-wait gate for the
 * `resumeWebhook` update, whose token names the run, the node and the wait (`since`): so a token
 * works once, and a node that waits again gets a new one.
 */
const resumeKind: SignedWaitKind<WebhookWait, ResumeDelivery, ResumeClaims, { body: unknown }, ResumeAccepted> = {
  update: resumeWebhookUpdate,
  description: 'The body POSTed to the signed resume URL of a core.wait node waiting for its webhook.',
  verify: (delivery, publicKeyHex) => verifySignedClaims(delivery?.token, publicKeyHex, resumeClaimsSchema()),
  unverifiable: {
    code: 'FF_BAD_INPUT',
    message: "the resume token is malformed or not signed by this run's control plane",
  },
  wrongRun: (claims, runId) => ({
    code: 'FF_BAD_INPUT',
    message: `the resume token was signed for run "${claims.runId}", not "${runId}"`,
  }),
  notWaiting: used,
  staleWait: used,
  take(delivery) {
    const claims = JSON.parse(delivery.token.claims) as ResumeClaims;
    return {
      nodeId: claims.nodeId,
      taken: { body: delivery.body },
      answer: { nodeId: claims.nodeId, at: new Date().toISOString() },
    };
  },
};

export type ResumeGate = SignedWaitGate<WebhookWait, ResumeDelivery, ResumeClaims, { body: unknown }, ResumeAccepted>;

export function resumeGate(publicKeyHex: string | undefined): ResumeGate {
  return new SignedWaitGate(resumeKind, publicKeyHex);
}

/** Waits for the resume POST to `nodeId` and returns its body as the node's `main` items. */
export async function waitForResume(
  gate: ResumeGate,
  nodeId: string,
  request: WebhookWaitRequest,
  showWaiting: (wait: WebhookWait) => void,
): Promise<Record<string, PortOutput>> {
  const { since, until, timeoutMs } = SignedWaitGate.window(request.timeout);
  const wait: WebhookWait = { kind: 'webhook', since, ...(until !== undefined ? { until } : {}) };
  showWaiting(wait);
  const delivered = await gate.wait(nodeId, wait, timeoutMs);
  if (!delivered) throw timedOut(nodeId, wait);
  return { main: resumeItems(delivered.body) };
}

function timedOut(nodeId: string, wait: WebhookWait): ReturnType<typeof nodeFailure> {
  const error: SerializedError = {
    code: 'FF_RESUME_TIMEOUT',
    message: `wait "${nodeId}": nobody POSTed to its resume URL by ${wait.until}`,
    hint: 'call the resume URL sooner, raise the node\'s "timeout", or set onError to "continue"',
    retryable: false,
  };
  return nodeFailure(error);
}
