import { z } from 'zod';
import { ApprovalFieldSchema, ApprovalOnTimeoutSchema, type ApprovalRequest } from '../approval.ts';

/**
 * The approvals contract between the control plane and `runDag` (pure: the workflow imports it).
 * A decision reaches a run as the `decide` update carrying a token the control plane signed with
 * its run-signing key; the run's validator checks it before the decision is accepted.
 */

/** This role may decide any approval. */
export const ADMIN_ROLE = 'admin';
/** Who decided when the timeout decided. */
export const TIMEOUT_DECIDER = 'system:timeout';

export const DecisionKindSchema = z.enum(['approve', 'reject']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

/** A node's state while it waits for a decision (`NodeState.waitingFor`). */
export const ApprovalWaitSchema = z.object({
  kind: z.literal('approval'),
  message: z.string().optional(),
  roles: z.array(z.string()),
  users: z.array(z.string()),
  fields: z.record(z.string(), ApprovalFieldSchema),
  onTimeout: ApprovalOnTimeoutSchema,
  /** Workflow time (ISO) the wait began. */
  since: z.string(),
  /** When the timeout decides (ISO); absent: waits until someone decides. */
  until: z.string().optional(),
});
export type ApprovalWait = z.infer<typeof ApprovalWaitSchema>;

/**
 * A schema built anew on each call, for workflow code: zod completes parts of a schema lazily, on
 * its first parse, and the workflow sandbox deep-freezes the module state it shares between runs
 * (preloaded modules, this one included), so a module-level schema cannot be parsed there.
 */
export const decisionClaimsSchema = () =>
  z.object({
    runId: z.string(),
    nodeId: z.string(),
    decision: z.enum(['approve', 'reject']),
    /** The deciding user (from the caller's API key). */
    by: z.string(),
    roles: z.array(z.string()),
    comment: z.string().optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    issuedAt: z.string(),
    /**
     * The wait this decision is for (its `since`). An approval link names it, so a link handed out
     * for one wait cannot decide a later wait of the same node (a core.loop runs it again).
     */
    since: z.string().optional(),
  });

/** What the control plane signs: who decided what for which run and node. */
export const DecisionClaimsSchema = decisionClaimsSchema();
export type DecisionClaims = z.infer<typeof DecisionClaimsSchema>;

/**
 * A token the control plane signed with its run-signing key (decisions, webhook resumes).
 * `claims` is the exact JSON text that was signed, so the verifier needs no canonical JSON; the
 * signature is lower-case hex Ed25519 over its UTF-8 bytes.
 */
export const signedClaimsTokenSchema = () =>
  z.object({
    claims: z.string(),
    signature: z.string().regex(/^[0-9a-f]{128}$/),
  });
export const SignedClaimsTokenSchema = signedClaimsTokenSchema();
export type DecisionToken = z.infer<typeof SignedClaimsTokenSchema>;

/** The decision as the node outputs it (merged onto each item's json) and the update returns it. */
export const ApprovalDecisionSchema = z.object({
  decision: DecisionKindSchema,
  by: z.string(),
  /** Workflow time (ISO) the decision was accepted. */
  at: z.string(),
  comment: z.string().optional(),
  fields: z.record(z.string(), z.unknown()),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

export function approvalWait(request: ApprovalRequest, since: string, until: string | undefined): ApprovalWait {
  return {
    kind: 'approval',
    ...(request.message !== undefined ? { message: request.message } : {}),
    roles: request.roles,
    users: request.users,
    fields: request.fields,
    onTimeout: request.onTimeout,
    since,
    ...(until !== undefined ? { until } : {}),
  };
}

/** Why a decision cannot be accepted: an FF_* code the control plane passes on, and what to do. */
export interface DecisionProblem {
  code: 'FF_FORBIDDEN' | 'FF_APPROVAL_INVALID';
  message: string;
}

/**
 * May this user (with these roles) decide this wait? `admin` decides anything; otherwise the user
 * must be listed in `users` or hold one of `roles`. A wait naming neither lets any caller decide.
 */
export function mayDecide(wait: Pick<ApprovalWait, 'roles' | 'users'>, by: string, roles: readonly string[]): boolean {
  if (roles.includes(ADMIN_ROLE)) return true;
  if (wait.roles.length === 0 && wait.users.length === 0) return true;
  return wait.users.includes(by) || wait.roles.some((role) => roles.includes(role));
}

/**
 * The checks the run's update validator makes once the token's signature and target are good:
 * the decider is allowed, and the form values fit the node's `fields` (required ones only when
 * approving; unknown names and wrong types always fail). Pure, so the same rules can be shown
 * in the control plane's approvals list.
 */
export function checkDecision(nodeId: string, wait: ApprovalWait, claims: DecisionClaims): DecisionProblem | undefined {
  if (!mayDecide(wait, claims.by, claims.roles)) {
    const allowed = [...wait.users.map((user) => `user "${user}"`), ...wait.roles.map((role) => `role "${role}"`)].join(
      ' or ',
    );
    return {
      code: 'FF_FORBIDDEN',
      message: `user "${claims.by}" may not decide approval "${nodeId}": it needs ${allowed} (or the admin role)`,
    };
  }
  const values = claims.fields ?? {};
  const problems: string[] = [];
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(wait.fields, name)) problems.push(`"${name}" is not a field of this approval`);
  }
  for (const [name, field] of Object.entries(wait.fields)) {
    const value = values[name];
    if (value === undefined || value === null) {
      if (field.required && claims.decision === 'approve') problems.push(`"${name}" is required`);
      continue;
    }
    if (typeof value !== field.type || (field.type === 'number' && !Number.isFinite(value))) {
      problems.push(`"${name}" must be a ${field.type}, not ${JSON.stringify(value)}`);
    }
  }
  if (problems.length === 0) return undefined;
  const known = Object.entries(wait.fields)
    .map(([name, field]) => `${name} (${field.type}${field.required ? ', required' : ''})`)
    .join(', ');
  return {
    code: 'FF_APPROVAL_INVALID',
    message: `approval "${nodeId}": ${problems.join('; ')}; its fields are: ${known || 'none'}`,
  };
}
