import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { FlowForgeError } from './errors.ts';

/**
 * The signed run request (Node only: it uses node:crypto). The control plane signs it with
 * Ed25519; the worker verifies the signature and both hashes before it runs anything.
 * Hashes are sha256 over RFC 8785 canonical JSON, so key order and spacing never change them.
 */

export const TriggerSchema = z.object({
  kind: z.enum(['manual', 'webhook', 'schedule', 'retry', 'subworkflow', 'error']),
  by: z.string().optional(),
  /** kind 'retry': the run this one retries. */
  retryOf: z.string().optional(),
});

export const RunRequestSchema = z.strictObject({
  runId: z.string().min(1),
  versionId: z.string().min(1),
  dagHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  inputHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  trigger: TriggerSchema,
  issuedAt: z.iso.datetime(),
  /**
   * A retry's reused node outputs (RunDagInput.reuse), hashed like the input: a worker marks those
   * nodes succeeded without running them, so the map must be as trustworthy as the DAG.
   */
  reuseHash: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
});

export type Trigger = z.infer<typeof TriggerSchema>;
export type RunRequest = z.infer<typeof RunRequestSchema>;

export interface SignedRunRequest {
  request: RunRequest;
  /** base64 Ed25519 signature over the canonical JSON of `request`. */
  signature: string;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value === undefined ? null : value);
  if (text === undefined) throw new Error('value cannot be written as canonical JSON');
  return text;
}

export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

export function signRunRequest(request: RunRequest, privateKey: KeyObject): SignedRunRequest {
  const signature = sign(null, Buffer.from(canonicalJson(request)), privateKey).toString('base64');
  return { request, signature };
}

/**
 * Throws FF_RUN_SIGNATURE (never retryable) unless the request is signed by the key and the DAG,
 * the input and (for a retry) the reused outputs hash to what the request says.
 */
export function verifyRunRequest(
  signed: SignedRunRequest | undefined,
  dag: unknown,
  input: unknown,
  publicKey: KeyObject,
  reuse?: unknown,
): RunRequest {
  const fail = (why: string): never => {
    throw new FlowForgeError('FF_RUN_SIGNATURE', `run request rejected: ${why}`, {
      hint: 'start runs through the control plane; a worker only runs requests signed by its control plane key',
    });
  };
  if (!signed || typeof signed.signature !== 'string') return fail('it is not signed');
  const parsed = RunRequestSchema.safeParse(signed.request);
  if (!parsed.success) return fail('it is malformed');
  const request = parsed.data;
  const ok = verify(null, Buffer.from(canonicalJson(request)), publicKey, Buffer.from(signed.signature, 'base64'));
  if (!ok) return fail('the signature does not match (tampered request or wrong key)');
  if (contentHash(dag) !== request.dagHash) return fail('the workflow definition does not match its signed hash');
  if (contentHash(input ?? null) !== request.inputHash) return fail('the run input does not match its signed hash');
  if (request.reuseHash === undefined ? reuse !== undefined : contentHash(reuse ?? null) !== request.reuseHash) {
    return fail('the reused node outputs do not match their signed hash');
  }
  return request;
}

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateSigningKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function loadPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}
