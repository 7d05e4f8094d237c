import { createPublicKey, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { type ApprovalDecision, type DecisionKind, mayDecide } from '@flowforge/connectors-sdk/contract';
import { recordAudit } from '../audit.ts';
import type { Principal } from '../auth/api-keys.ts';
import { isUniqueViolation } from '../database.ts';
import { decodeCanonicalBase64url } from '../signing/canonical-base64url.ts';
import { assertRunInProject, type DecideApprovalDeps, decideApproval, theOnlyWaitingNode } from './decide-approval.ts';
import { waitingApprovals } from './waiting-approvals.ts';

/** What a signed approval link carries: one decision on one run's node, by the user who asked for the link. */
export interface ApprovalLinkClaims {
  kind: 'approval-link';
  /** The link's id: a link decides once (ApprovalLinkUse). */
  id: string;
  runId: string;
  nodeId: string;
  decision: DecisionKind;
  by: string;
  roles: string[];
  /** Expiry, ISO. */
  expiresAt: string;
  /** The wait it was issued for: a later wait of the same node (a loop) is not decided by it. */
  since?: string;
}

export const DEFAULT_LINK_TTL_SECONDS = 7 * 24 * 3600;
/**
 * The longest a link may live (approvalLink's ttlSeconds is refused above it). A link is a bearer
 * credential that sits in mailboxes and chat logs; a decision that waits longer gets a new link.
 */
export const MAX_LINK_TTL_SECONDS = 30 * 24 * 3600;

/**
 * A link that makes one decision for the caller without an API key (for mail or chat): a token
 * `<base64url claims>.<base64url Ed25519 signature>` signed with the run-signing key. It is only
 * issued to a caller who may decide that approval now; the run's validator checks again when used.
 */
export async function issueApprovalLink(
  deps: DecideApprovalDeps,
  principal: Principal,
  input: { runId: string; nodeId?: string | null | undefined; decision: DecisionKind; ttlSeconds?: number | undefined },
): Promise<string> {
  await assertRunInProject(deps, input.runId);
  const nodeId = input.nodeId ?? (await theOnlyWaitingNode(deps.temporal, input.runId));
  const wait = (await waitingApprovals(deps.temporal, input.runId)).get(nodeId);
  if (!wait) {
    throw new FlowForgeError('FF_RUN_STATE', `node "${nodeId}" of run "${input.runId}" is not waiting for an approval`);
  }
  if (!mayDecide(wait, principal.user, principal.roles)) {
    throw new FlowForgeError('FF_FORBIDDEN', `user "${principal.user}" may not decide approval "${nodeId}"`, {
      hint: 'only someone who may decide can hand out a link for it',
    });
  }
  const claims: ApprovalLinkClaims = {
    kind: 'approval-link',
    id: randomUUID(),
    runId: input.runId,
    nodeId,
    decision: input.decision,
    by: principal.user,
    roles: principal.roles,
    expiresAt: new Date(Date.now() + (input.ttlSeconds ?? DEFAULT_LINK_TTL_SECONDS) * 1000).toISOString(),
    since: wait.since,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign(null, Buffer.from(payload), deps.signingKey).toString('base64url');
  // A link is a bearer credential: who handed one out, for what and until when (never the token).
  await recordAudit(deps.prisma, {
    actor: principal.actor,
    action: 'approval.link',
    target: `run:${input.runId}/node:${nodeId}`,
    data: { linkId: claims.id, decision: claims.decision, expiresAt: claims.expiresAt },
  });
  return `${payload}.${signature}`;
}

/** The link's claims when the signature holds and it has not expired; FF_APPROVAL_INVALID otherwise. */
export function readApprovalLink(token: string, signingKey: KeyObject): ApprovalLinkClaims {
  const [payload = '', signature = '', extra] = token.split('.');
  const invalid = (why: string) =>
    new FlowForgeError('FF_APPROVAL_INVALID', `this approval link ${why}`, {
      hint: 'ask for a new link, or decide with flowforge approve|reject',
    });
  // Only the canonical text verifies: Node would decode `==`, a stray `*` or altered low bits to the same bytes.
  const claimsBytes = decodeCanonicalBase64url(payload);
  const signatureBytes = decodeCanonicalBase64url(signature);
  const signed =
    extra === undefined &&
    claimsBytes !== undefined &&
    signatureBytes?.length === 64 &&
    verify(null, Buffer.from(payload), createPublicKey(signingKey), signatureBytes);
  if (!signed || !claimsBytes) throw invalid('is not valid (damaged, or not from this control plane)');
  const claims = JSON.parse(claimsBytes.toString('utf8')) as ApprovalLinkClaims;
  if (claims.kind !== 'approval-link') throw invalid('is not an approval link');
  if (Date.parse(claims.expiresAt) < Date.now()) throw invalid(`expired at ${claims.expiresAt}`);
  return claims;
}

/**
 * Uses a link once. The use is recorded first (a unique id, so two clicks racing cannot both
 * decide); a second use answers FF_APPROVAL_LINK_USED. When the run refuses the decision the
 * record is removed again, so a link that failed for a passing reason (no worker) still works.
 */
export async function useApprovalLink(deps: DecideApprovalDeps, token: string): Promise<ApprovalDecision> {
  const claims = readApprovalLink(token, deps.signingKey);
  try {
    await deps.prisma.approvalLinkUse.create({ data: { id: claims.id, runId: claims.runId, nodeId: claims.nodeId } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new FlowForgeError('FF_APPROVAL_LINK_USED', 'this approval link was used already: a link decides once', {
      hint: `flowforge runs show ${claims.runId} shows what happened since`,
    });
  }
  const principal: Principal = {
    apiKeyId: '',
    name: 'approval-link',
    actor: `approval-link:${claims.by}`,
    user: claims.by,
    roles: claims.roles,
  };
  try {
    return await decideApproval(deps, principal, {
      runId: claims.runId,
      nodeId: claims.nodeId,
      decision: claims.decision,
      since: claims.since,
    });
  } catch (error) {
    await deps.prisma.approvalLinkUse.delete({ where: { id: claims.id } }).catch(() => undefined);
    throw error;
  }
}
