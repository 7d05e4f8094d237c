import { ADMIN_ROLE, type ApprovalWait, type DecisionClaims } from './contract.ts';

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
    if (!(name in wait.fields)) problems.push(`"${name}" is not a field of this approval`);
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
