import { type KeyObject, sign } from 'node:crypto';
import type { DecisionClaims, DecisionToken } from '@flowforge/connectors-sdk/contract';

/**
 * Signs a decision with the run-signing key (the key workers already trust for run requests), so
 * the run's update validator can tell a decision the control plane authorised from a forged one.
 * The signed bytes are the claims' JSON text itself: the workflow verifies exactly what it parses.
 */
export function signDecisionToken(claims: DecisionClaims, privateKey: KeyObject): DecisionToken {
  const text = JSON.stringify(claims);
  return { claims: text, signature: sign(null, Buffer.from(text, 'utf8'), privateKey).toString('hex') };
}
