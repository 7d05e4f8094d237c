import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/curves/utils.js';
import type { z } from 'zod';
import { type DecisionClaims, decisionClaimsSchema, signedClaimsTokenSchema } from './approvals.ts';

/**
 * The claims of a `{ claims, signature }` token the control plane signed with its run-signing key
 * (decisions, webhook resumes), parsed by `schema`; undefined when the token is malformed, not
 * signed by `publicKeyHex`, or its claims do not fit. Runs inside the workflow sandbox, where
 * node:crypto is not available: @noble/curves is an audited pure-JS Ed25519 with no I/O or
 * randomness on the verify path, so it is deterministic and bundles into workflow code. There,
 * `schema` must be built for the call (decisionClaimsSchema(), resumeClaimsSchema()).
 */
export function verifySignedClaims<S extends z.ZodType>(
  token: unknown,
  publicKeyHex: string,
  schema: S,
): z.infer<S> | undefined {
  const parsed = signedClaimsTokenSchema().safeParse(token);
  if (!parsed.success) return undefined;
  const { claims, signature } = parsed.data;
  try {
    if (!ed25519.verify(hexToBytes(signature), new TextEncoder().encode(claims), hexToBytes(publicKeyHex))) {
      return undefined;
    }
    const result = schema.safeParse(JSON.parse(claims));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** A decision token's claims, when the control plane signed it. */
export function verifyDecisionToken(token: unknown, publicKeyHex: string): DecisionClaims | undefined {
  return verifySignedClaims(token, publicKeyHex, decisionClaimsSchema());
}
