import { z } from 'zod';

/**
 * Credentials on the wire (pure: no I/O). Values are write-only: the GraphQL API takes them and
 * never returns one; only the internal resolution route answers a value, to a worker, for the node
 * of a running run that names the credential (control-plane/src/credentials/resolve-credential.ts).
 */

/** What `credentials list --json` prints and the GraphQL `credentials` query answers: never a value. */
export const CredentialSummarySchema = z.object({
  name: z.string(),
  type: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The control plane route a worker asks for a credential value (POST, `Authorization: Bearer <worker token>`). */
export const CREDENTIAL_RESOLVE_PATH = '/internal/credentials/resolve';

/**
 * What the worker says about itself: which Temporal execution and activity runs which node, and the
 * slot it needs. The control plane believes none of it until Temporal and its own signature agree.
 */
export const CredentialResolveRequestSchema = z.strictObject({
  /** Temporal workflow id: the run (or child run) id. */
  workflowId: z.string().min(1).max(1000),
  /** Temporal run id of the current execution (changes at continue-as-new). */
  executionRunId: z.string().min(1).max(100),
  /** The executeNode activity id: the node id, or `<node>:<iteration>` in a loop body. */
  activityId: z.string().min(1).max(1000),
  nodeId: z.string().min(1).max(100),
  slot: z.string().min(1).max(100),
});

export const CredentialResolveResponseSchema = z.object({
  name: z.string(),
  type: z.string(),
  value: z.unknown(),
});

/** One step of `credentials rotate-key`: how far re-wrapping under the current master key is. */
export const KeyRotationSchema = z.object({
  /** The master key everything is being re-wrapped with (a fingerprint). */
  keyId: z.string(),
  total: z.int(),
  /** Data keys still wrapped by an older master key. */
  remaining: z.int(),
  /** Re-wrapped by this call. */
  rewrapped: z.int(),
  /** Older master keys nothing uses any more (and, when they lived in the key file, removed from it). */
  retiredKeyIds: z.array(z.string()),
});

export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;
export type CredentialResolveRequest = z.infer<typeof CredentialResolveRequestSchema>;
export type CredentialResolveResponse = z.infer<typeof CredentialResolveResponseSchema>;
export type KeyRotation = z.infer<typeof KeyRotationSchema>;
