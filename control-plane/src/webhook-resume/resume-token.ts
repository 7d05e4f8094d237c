import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import {
  RESUME_PATH_PREFIX,
  type ResumeClaims,
  ResumeClaimsSchema,
  type ResumeToken,
} from '@flowforge/connectors-sdk/contract';
import { decodeCanonicalBase64url } from '../signing/canonical-base64url.ts';

/**
 * A resume URL token: `<base64url claims JSON>.<base64url Ed25519 signature over that JSON>`,
 * signed with the run-signing key. The signature covers the JSON text itself (not the base64),
 * so the run's validator checks the same bytes with the approvals' verifier. Ed25519 signatures
 * are deterministic: the run view can show the same URL on every read without storing it.
 */
export function signResumeToken(claims: ResumeClaims, key: KeyObject): string {
  const text = JSON.stringify(claims);
  const signature = sign(null, Buffer.from(text, 'utf8'), key);
  return `${Buffer.from(text, 'utf8').toString('base64url')}.${signature.toString('base64url')}`;
}

/** The path (and, with `baseUrl`, the absolute URL) a caller POSTs to resume one wait of one node. */
export function resumeUrl(claims: ResumeClaims, key: KeyObject, baseUrl = ''): string {
  return `${baseUrl}${RESUME_PATH_PREFIX}${signResumeToken(claims, key)}`;
}

/** The claims and the run's token form, when this control plane signed the token; FF_BAD_INPUT (400) otherwise. */
export function readResumeToken(token: string, key: KeyObject): { claims: ResumeClaims; token: ResumeToken } {
  const [payload = '', signature = '', extra] = token.split('.');
  // Only the canonical text verifies: Node would decode `==`, a stray `*` or altered low bits to the same bytes.
  const textBytes = decodeCanonicalBase64url(payload);
  const signatureBytes = decodeCanonicalBase64url(signature);
  const text = textBytes?.toString('utf8') ?? '';
  const signed =
    extra === undefined &&
    textBytes !== undefined &&
    signatureBytes?.length === 64 &&
    // The text's own bytes, as the run's validator checks them.
    verify(null, Buffer.from(text, 'utf8'), createPublicKey(key), signatureBytes);
  const claims = signed ? ResumeClaimsSchema.safeParse(parseJson(text)).data : undefined;
  if (!claims || !signatureBytes) {
    throw new FlowForgeError('FF_BAD_INPUT', 'this resume URL is not valid (damaged, or not from this control plane)', {
      hint: 'use the URL exactly as flowforge runs show <runId> prints it',
    });
  }
  return { claims, token: { claims: text, signature: signatureBytes.toString('hex') } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
