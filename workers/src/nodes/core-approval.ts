import { type ApprovalField, implementNode } from '@flowforge/connectors-sdk';
import { coreApprovalType } from '@flowforge/connectors-sdk/builtin';

export const coreApproval = implementNode(coreApprovalType, (ctx) => {
  const { message, roles, users, timeout, onTimeout, fields } = ctx.params;
  ctx.waitForApproval({
    ...(message !== undefined ? { message } : {}),
    roles: roles ?? [],
    users: users ?? [],
    ...(timeout !== undefined ? { timeout } : {}),
    onTimeout,
    fields: (fields ?? {}) as Record<string, ApprovalField>,
  });
  // The items wait on "approved" until the decision; the run moves them to the chosen port.
  return { approved: ctx.items };
});
