import { z } from 'zod';
import type { Item } from '../items.ts';
import { SignedClaimsTokenSchema } from './approvals.ts';

/**
 * The webhook-resume contract between the control plane and `runDag` (pure: the workflow imports
 * it). A `core.wait` node with `resume: "webhook"` waits until the control plane receives a POST to
 * `/webhook/resume/<token>` and delivers its body as the `resumeWebhook` update; the run's validator
 * checks the token like an approval decision (same key, same verifier).
 */
export const RESUME_PATH_PREFIX = '/webhook/resume/';

/**
 * What the control plane signs for one wait of one node. `since` (the wait's start, workflow time)
 * makes the token unique per wait and single-use without a database: once the node stops waiting,
 * or waits again with a new `since`, the run refuses it.
 */
export const resumeClaimsSchema = () =>
  z.object({
    kind: z.literal('webhook-resume'),
    runId: z.string(),
    nodeId: z.string(),
    since: z.string(),
  });
/** Built once, for code outside workflows (see decisionClaimsSchema for why workflows build their own). */
export const ResumeClaimsSchema = resumeClaimsSchema();
export type ResumeClaims = z.infer<typeof ResumeClaimsSchema>;

/** Signed exactly like a decision: `claims` is the JSON text, `signature` hex Ed25519 over its bytes. */
export const ResumeTokenSchema = SignedClaimsTokenSchema;
export type ResumeToken = z.infer<typeof ResumeTokenSchema>;

/** The `resumeWebhook` update's argument: the token and the POSTed JSON body. */
export const ResumeDeliverySchema = z.object({ token: ResumeTokenSchema, body: z.unknown() });
export type ResumeDelivery = z.infer<typeof ResumeDeliverySchema>;

/** What the update returns when the run took the body. */
export const ResumeAcceptedSchema = z.object({
  nodeId: z.string(),
  /** Workflow time (ISO). */
  at: z.string(),
});
export type ResumeAccepted = z.infer<typeof ResumeAcceptedSchema>;

/** A node's state while it waits for its resume webhook (`NodeState.waitingFor`). */
export const WebhookWaitSchema = z.object({
  kind: z.literal('webhook'),
  /** Workflow time (ISO) the wait began; part of the signed resume token. */
  since: z.string(),
  /** When the node fails with FF_RESUME_TIMEOUT (ISO); absent: waits without limit. */
  until: z.string().optional(),
});
export type WebhookWait = z.infer<typeof WebhookWaitSchema>;

/**
 * The POSTed body as the node's output items: an object is one item, an array one item per
 * element (non-objects wrapped as `{ value }`), anything else (text, a number, no body) one
 * item `{ body }`.
 */
export function resumeItems(body: unknown): Item[] {
  if (Array.isArray(body)) return body.map((element) => ({ json: asJson(element, 'value') }));
  return [{ json: asJson(body, 'body') }];
}

function asJson(value: unknown, key: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return value === undefined ? {} : { [key]: value };
}
