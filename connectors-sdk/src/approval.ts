import { z } from 'zod';

/**
 * What a `core.approval` node asks the run to wait for (pure: the workflow imports it). The node's
 * activity evaluates its parameters into this request; `runDag` then waits durably for a signed
 * decision (a Temporal update) or for the timeout.
 */

export const ApprovalFieldTypeSchema = z.enum(['string', 'number', 'boolean']);

/** One form field the approver fills in; its value is checked by the run's update validator. */
export const ApprovalFieldSchema = z.object({
  type: ApprovalFieldTypeSchema,
  required: z.boolean().optional(),
  description: z.string().optional(),
});

/** What happens when nobody decides in time. */
export const ApprovalOnTimeoutSchema = z.enum(['reject', 'approve', 'fail']);

export const ApprovalRequestSchema = z.object({
  message: z.string().optional(),
  /** Any of these roles may decide (the `admin` role may decide any approval). */
  roles: z.array(z.string()),
  /** These users may decide, whatever their roles. No roles and no users: any authenticated caller. */
  users: z.array(z.string()),
  /** A duration ("2s", "3d"); counted in workflow time from when the node starts waiting. */
  timeout: z.string().optional(),
  onTimeout: ApprovalOnTimeoutSchema,
  fields: z.record(z.string(), ApprovalFieldSchema),
});

export type ApprovalFieldType = z.infer<typeof ApprovalFieldTypeSchema>;
export type ApprovalField = z.infer<typeof ApprovalFieldSchema>;
export type ApprovalOnTimeout = z.infer<typeof ApprovalOnTimeoutSchema>;
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;
