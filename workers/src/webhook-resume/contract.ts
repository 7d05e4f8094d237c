import type { DecisionToken } from '../approvals/contract.ts';

/**
 * The webhook-resume wire contract between the control plane and `runDag` (pure: the workflow
 * imports it). A `core.wait` node with `resume: "webhook"` waits until the control plane receives
 * a POST to `/webhook/resume/<token>` and delivers its body as the `resumeWebhook` update; the
 * run's validator checks the token like an approval decision (same key, same verifier).
 */
export const RESUME_WEBHOOK_UPDATE = 'resumeWebhook';
export const RESUME_PATH_PREFIX = '/webhook/resume/';

/**
 * What the control plane signs for one wait of one node. `since` (the wait's start, workflow time)
 * makes the token unique per wait and single-use without a database: once the node stops waiting,
 * or waits again with a new `since`, the run refuses it.
 */
export interface ResumeClaims {
  kind: 'webhook-resume';
  runId: string;
  nodeId: string;
  since: string;
}

/** Signed exactly like a decision: `claims` is the JSON text, `signature` hex Ed25519 over its bytes. */
export type ResumeToken = DecisionToken;

/** The `resumeWebhook` update's argument: the token and the POSTed JSON body. */
export interface ResumeDelivery {
  token: ResumeToken;
  body: unknown;
}

/** What the update returns when the run took the body. */
export interface ResumeAccepted {
  nodeId: string;
  /** Workflow time (ISO). */
  at: string;
}

/** A node's state while it waits for its resume webhook (`NodeState.waitingFor`). */
export interface WebhookWait {
  kind: 'webhook';
  /** Workflow time (ISO) the wait began; part of the signed resume token. */
  since: string;
  /** When the node fails with FF_RESUME_TIMEOUT (ISO); absent: waits without limit. */
  until?: string | undefined;
}

export function isResumeClaims(value: unknown): value is ResumeClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Partial<ResumeClaims>;
  return (
    claims.kind === 'webhook-resume' &&
    typeof claims.runId === 'string' &&
    typeof claims.nodeId === 'string' &&
    typeof claims.since === 'string'
  );
}
