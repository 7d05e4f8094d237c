import { z } from 'zod';
import { DurationSchema, defineNodeType } from '../index.ts';

const FieldSchema = z.strictObject({
  type: z.enum(['string', 'number', 'boolean']).describe('The type of the value the approver gives.'),
  required: z.boolean().optional().describe('Approving needs a value (rejecting never does).'),
  description: z.string().optional().describe('Shown to the approver.'),
});

export const coreApprovalType = defineNodeType({
  type: 'core.approval',
  version: 1,
  group: 'human',
  displayName: 'Approval',
  description:
    'Stops the run until a person approves or rejects (GraphQL approve/reject, `flowforge approve|reject`), then ' +
    'sends the items to "approved" or "rejected". Each item gets the decision merged onto its json: ' +
    '`decision` ("approve"/"reject"), `by`, `at`, `comment`, `fields` (the form values). Who may decide: a user in ' +
    '`users`, anyone with a role in `roles`, or an admin; with neither set, any caller. The wait is durable and ' +
    'costs nothing; after `timeout`, `onTimeout` decides ("reject" or "approve", by "system:timeout") or fails ' +
    'the node ("fail").',
  params: z.strictObject({
    message: z.string().optional().describe('What the approver is asked; may be an expression.'),
    roles: z.array(z.string().min(1)).optional().describe('Roles whose holders may decide, like ["approver"].'),
    users: z.array(z.string().min(1)).optional().describe('Users who may decide, whatever their roles.'),
    timeout: DurationSchema.optional().describe('How long to wait for a decision: "30m", "3d". None: forever.'),
    onTimeout: z
      .enum(['reject', 'approve', 'fail'])
      .default('reject')
      .describe('After the timeout: route to "rejected" (default) or "approved", or fail the node.'),
    fields: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a field name is letters, digits and _' }),
        FieldSchema,
      )
      .optional()
      .describe('A form the approver fills in: { "amount": { "type": "number", "required": true } }.'),
  }),
  inputs: ['main'],
  outputs: ['approved', 'rejected'],
  // Short on purpose: the activity only evaluates the parameters; the wait itself is in the workflow.
  defaultTimeout: '30s',
  capabilities: { durableWait: true },
});
