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
import { type RunRequest, RunRequestSchema, type SignedRunRequest } from './contract/run-request.ts';
import { FlowForgeError } from './errors.ts';

export type { RunRequest, SignedRunRequest, Trigger } from './contract/run-request.ts';

/**
 * Signing and verifying run requests (Node only: it uses node:crypto; the shapes are in the
 * contract). The control plane signs with Ed25519; the worker verifies the signature and both
 * hashes before it runs anything. Hashes are sha256 over RFC 8785 canonical JSON, so key order
 * and spacing never change them.
 */

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
 * the input, (for a retry) the reused outputs and the linked versions hash to what the request says.
 */
export function verifyRunRequest(
  signed: SignedRunRequest | undefined,
  dag: unknown,
  input: unknown,
  publicKey: KeyObject,
  reuse?: unknown,
  linked?: unknown,
): RunRequest {
  const fail = (why: string): never => {
    throw new FlowForgeError('FF_RUN_SIGNATURE', `run request rejected: ${why}`, {
      hint: 'start runs through the control plane; a worker only runs requests signed by its control plane key',
    });
  };
  const request = signedRequest(signed, publicKey, fail);
  if (contentHash(dag) !== request.dagHash) return fail('the workflow definition does not match its signed hash');
  if (contentHash(input ?? null) !== request.inputHash) return fail('the run input does not match its signed hash');
  if (request.reuseHash === undefined ? reuse !== undefined : contentHash(reuse ?? null) !== request.reuseHash) {
    return fail('the reused node outputs do not match their signed hash');
  }
  if (request.linkedHash === undefined ? linked !== undefined : contentHash(linked ?? null) !== request.linkedHash) {
    return fail('the linked workflow versions do not match their signed hash');
  }
  return request;
}

/**
 * A run started by another run (a child of core.executeWorkflow, or an error workflow) carries the
 * signed request of the run that started the tree and the linked versions it signed. Throws
 * FF_RUN_SIGNATURE unless the signature holds, the linked map hashes to the signed linkedHash and
 * `key` names a linked version whose DAG hash is `dagHash`. The child's input is not signed: the
 * parent's (trusted) workflow code computed it at run time.
 */
export function verifyLinkedRunRequest(
  signed: SignedRunRequest | undefined,
  linked: Record<string, { dagHash: string }> | undefined,
  key: string,
  dag: unknown,
  publicKey: KeyObject,
): RunRequest {
  const fail = (why: string): never => {
    throw new FlowForgeError('FF_RUN_SIGNATURE', `child run request rejected: ${why}`, {
      hint: 'child runs are started by core.executeWorkflow or settings.errorWorkflow of a run the control plane signed',
    });
  };
  const request = signedRequest(signed, publicKey, fail);
  if (request.linkedHash === undefined || contentHash(linked ?? null) !== request.linkedHash) {
    return fail('the linked workflow versions do not match their signed hash');
  }
  const entry = linked?.[key];
  if (!entry) return fail(`"${key}" is not one of the linked workflow versions`);
  if (contentHash(dag) !== entry.dagHash)
    return fail(`the workflow definition of "${key}" does not match its signed hash`);
  return request;
}

/** The request, if it is well-formed and signed by the key; `fail` says why not. */
function signedRequest(
  signed: SignedRunRequest | undefined,
  publicKey: KeyObject,
  fail: (why: string) => never,
): RunRequest {
  if (!signed || typeof signed.signature !== 'string') return fail('it is not signed');
  const parsed = RunRequestSchema.safeParse(signed.request);
  if (!parsed.success) return fail('it is malformed');
  const ok = verify(null, Buffer.from(canonicalJson(parsed.data)), publicKey, Buffer.from(signed.signature, 'base64'));
  if (!ok) return fail('the signature does not match (tampered request or wrong key)');
  return parsed.data;
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
