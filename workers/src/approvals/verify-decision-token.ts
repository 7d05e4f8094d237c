import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '@noble/curves/utils.js';
import type { DecisionClaims, DecisionToken } from './contract.ts';

/**
 * Verifies a decision token inside the workflow sandbox, where node:crypto is not available:
 * @noble/curves is an audited pure-JS Ed25519 with no I/O or randomness on the verify path, so it
 * is deterministic and bundles into workflow code (TextEncoder is one of the sandbox's globals). Returns the claims, or undefined when the token
 * is malformed or not signed by `publicKeyHex` (the control plane's run-signing key).
 */
export function verifyDecisionToken(token: unknown, publicKeyHex: string): DecisionClaims | undefined {
  const parsed = verifySignedClaims(token, publicKeyHex) as DecisionClaims | undefined;
  return parsed !== undefined && isClaims(parsed) ? parsed : undefined;
}

/**
 * The parsed claims of any `{ claims, signature }` token the control plane signed with its
 * run-signing key (decisions, webhook resume links), or undefined when malformed or not signed
 * by `publicKeyHex`. Callers check the claims' shape.
 */
export function verifySignedClaims(token: unknown, publicKeyHex: string): unknown {
  if (typeof token !== 'object' || token === null) return undefined;
  const { claims, signature } = token as Partial<DecisionToken>;
  if (typeof claims !== 'string' || typeof signature !== 'string' || !/^[0-9a-f]{128}$/.test(signature)) {
    return undefined;
  }
  try {
    if (!ed25519.verify(hexToBytes(signature), new TextEncoder().encode(claims), hexToBytes(publicKeyHex)))
      return undefined;
    return JSON.parse(claims) as unknown;
  } catch {
    return undefined;
  }
}

function isClaims(value: DecisionClaims): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.runId === 'string' &&
    typeof value.nodeId === 'string' &&
    (value.decision === 'approve' || value.decision === 'reject') &&
    typeof value.by === 'string' &&
    Array.isArray(value.roles) &&
    value.roles.every((role) => typeof role === 'string') &&
    (value.comment === undefined || typeof value.comment === 'string') &&
    (value.fields === undefined || (typeof value.fields === 'object' && !Array.isArray(value.fields)))
  );
}
