import { durationToMs, type SerializedError, type WebhookWaitRequest } from '@flowforge/connectors-sdk';
import { ApplicationFailure, condition, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';
import { verifySignedClaims } from '../approvals/verify-decision-token.ts';
import type { PortOutput } from '../run-state.ts';
import {
  isResumeClaims,
  RESUME_WEBHOOK_UPDATE,
  type ResumeAccepted,
  type ResumeClaims,
  type ResumeDelivery,
  resumeItems,
  type WebhookWait,
} from '../webhook-resume/index.ts';
import { nodeFailure } from './node-activity.ts';

export const resumeWebhookUpdate = defineUpdate<ResumeAccepted, [ResumeDelivery]>(RESUME_WEBHOOK_UPDATE);

/** How the run shows a node while it waits (the DagRun's setter, so all state changes go one way). */
export type SetWebhookWaiting = (wait: WebhookWait) => void;

/**
 * `core.wait` with `resume: "webhook"` inside `runDag`: a `condition` on a body only the
 * `resumeWebhook` update can bring (nothing polls), raced with the node's timeout as a workflow
 * timer. The validator checks the control plane's signature (the approvals' verifier), the run, and
 * that the node still waits the very wait the token was signed for; a refused update is not
 * written to history and leaves the node waiting.
 */
export class WebhookResumeGate {
  private readonly waits = new Map<string, WebhookWait>();
  private readonly bodies = new Map<string, { body: unknown }>();
  private readonly publicKeyHex: string | undefined;

  constructor(publicKeyHex: string | undefined) {
    this.publicKeyHex = publicKeyHex;
    setHandler(resumeWebhookUpdate, (delivery) => this.accept(delivery), {
      validator: (delivery) => {
        this.validate(delivery);
      },
      description: 'The body POSTed to the signed resume URL of a core.wait node waiting for its webhook.',
    });
  }

  /** Waits for the resume POST to `nodeId` and returns its body as the node's `main` items. */
  async wait(
    nodeId: string,
    request: WebhookWaitRequest,
    setWaiting: SetWebhookWaiting,
  ): Promise<Record<string, PortOutput>> {
    const since = new Date();
    const timeoutMs = request.timeout === undefined ? undefined : durationToMs(request.timeout);
    const until = timeoutMs === undefined ? undefined : new Date(since.getTime() + timeoutMs).toISOString();
    const wait: WebhookWait = {
      kind: 'webhook',
      since: since.toISOString(),
      ...(until !== undefined ? { until } : {}),
    };
    this.waits.set(nodeId, wait);
    setWaiting(wait);
    try {
      const isResumed = () => this.bodies.has(nodeId);
      const resumed =
        timeoutMs === undefined ? await condition(isResumed).then(() => true) : await condition(isResumed, timeoutMs);
      if (!resumed) throw timedOut(nodeId, wait);
      return { main: resumeItems(this.bodies.get(nodeId)?.body) };
    } finally {
      // Forget both: a node that runs again waits anew, with a new `since` and so a new token.
      this.waits.delete(nodeId);
      this.bodies.delete(nodeId);
    }
  }

  private validate(delivery: ResumeDelivery): ResumeClaims {
    const fail = (type: SerializedError['code'], message: string): never => {
      throw ApplicationFailure.create({ type, message, nonRetryable: true });
    };
    if (this.publicKeyHex === undefined) return fail('FF_BAD_INPUT', 'this run cannot check resume tokens yet');
    const claims = verifySignedClaims(delivery?.token, this.publicKeyHex);
    if (!isResumeClaims(claims)) {
      return fail('FF_BAD_INPUT', "the resume token is malformed or not signed by this run's control plane");
    }
    const runId = workflowInfo().workflowId;
    if (claims.runId !== runId) {
      return fail('FF_BAD_INPUT', `the resume token was signed for run "${claims.runId}", not "${runId}"`);
    }
    const wait = this.waits.get(claims.nodeId);
    if (!wait || wait.since !== claims.since || this.bodies.has(claims.nodeId)) {
      return fail(
        'FF_RESUME_LINK_USED',
        `the resume link of node "${claims.nodeId}" was used already, or the wait it was made for has ended`,
      );
    }
    return claims;
  }

  private accept(delivery: ResumeDelivery): ResumeAccepted {
    // On replay the validator does not run again; an accepted update's token was valid then.
    const claims = JSON.parse(delivery.token.claims) as ResumeClaims;
    this.bodies.set(claims.nodeId, { body: delivery.body });
    return { nodeId: claims.nodeId, at: new Date().toISOString() };
  }
}

function timedOut(nodeId: string, wait: WebhookWait): ApplicationFailure {
  const error: SerializedError = {
    code: 'FF_RESUME_TIMEOUT',
    message: `wait "${nodeId}": nobody POSTed to its resume URL by ${wait.until}`,
    hint: 'call the resume URL sooner, raise the node\'s "timeout", or set onError to "continue"',
    retryable: false,
  };
  return nodeFailure(error);
}
