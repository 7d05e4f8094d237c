/**
 * What a `core.approval` node asks the run to wait for (pure types: the workflow imports them).
 * The node's activity evaluates its parameters into this request; `runDag` then waits durably for
 * a signed decision (a Temporal update) or for the timeout.
 */

export type ApprovalFieldType = 'string' | 'number' | 'boolean';

/** One form field the approver fills in; its value is checked by the run's update validator. */
export interface ApprovalField {
  type: ApprovalFieldType;
  required?: boolean | undefined;
  description?: string | undefined;
}

/** What happens when nobody decides in time. */
export type ApprovalOnTimeout = 'reject' | 'approve' | 'fail';

export interface ApprovalRequest {
  message?: string | undefined;
  /** Any of these roles may decide (the `admin` role may decide any approval). */
  roles: string[];
  /** These users may decide, whatever their roles. No roles and no users: any authenticated caller. */
  users: string[];
  /** A duration ("2s", "3d"); counted in workflow time from when the node starts waiting. */
  timeout?: string | undefined;
  onTimeout: ApprovalOnTimeout;
  fields: Record<string, ApprovalField>;
}
