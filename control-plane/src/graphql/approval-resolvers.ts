import { NodeIdSchema, z } from '@flowforge/connectors-sdk';
import type { DecisionKind } from '@flowforge/connectors-sdk/contract';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { DEFAULT_LINK_TTL_SECONDS, issueApprovalLink, MAX_LINK_TTL_SECONDS } from '../approvals/approval-link.ts';
import { decideApproval } from '../approvals/decide-approval.ts';
import { listApprovals } from '../approvals/list-approvals.ts';
import { getRunView } from '../runs/run-view.ts';
import { parseArguments, RunIdSchema } from './arguments.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** Approvals: extends Query and Mutation (see approvalSchema). */
export const approvalSchema = /* GraphQL */ `
  extend type Query {
    "Runs waiting for an approval the caller may give, oldest first."
    approvals: [PendingApproval!]!
  }

  extend type Mutation {
    "Approves a waiting core.approval node (nodeId may be left out when the run waits for one). The run goes on."
    approve(runId: ID!, nodeId: String, comment: String, fields: JSON): RunView!
    "Rejects a waiting core.approval node: its items go to the rejected port."
    reject(runId: ID!, nodeId: String, comment: String, fields: JSON): RunView!
    "A signed single-use link (GET shows, POST decides) that makes this decision as the caller; expires in ttlSeconds (7 days; at most 30 days)."
    approvalLink(runId: ID!, nodeId: String, decision: String!, ttlSeconds: Int): String!
  }

  type PendingApproval {
    runId: ID!
    workflow: RunWorkflow!
    nodeId: String!
    message: String
    roles: [String!]!
    users: [String!]!
    "Field name → { type, required, description }: what approve's fields must hold."
    fields: JSON!
    onTimeout: String!
    since: String!
    until: String
  }
`;

const DecideArguments = z.object({
  runId: RunIdSchema,
  nodeId: NodeIdSchema.nullish(),
  comment: z.string().nullish(),
  fields: z.record(z.string(), z.unknown(), { error: 'must be an object of field name → value' }).nullish(),
});

const ApprovalLinkArguments = z.object({
  runId: RunIdSchema,
  nodeId: NodeIdSchema.nullish(),
  decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
  ttlSeconds: z.int().min(1, { error: ttlRange }).max(MAX_LINK_TTL_SECONDS, { error: ttlRange }).nullish(),
});

function ttlRange(): string {
  return `must be 1 to ${MAX_LINK_TTL_SECONDS} (30 days; ${DEFAULT_LINK_TTL_SECONDS}, 7 days, when left out): a link is a credential, so it does not live longer`;
}

const decide =
  (decision: DecisionKind) =>
  async (_root: unknown, args: unknown, { services, principal }: MercuriusContext) => {
    const { runId, nodeId, comment, fields } = parseArguments(DecideArguments, args);
    await decideApproval(services, principal, { runId, nodeId, decision, comment, fields });
    return getRunView(services, runId);
  };

export const approvalResolvers: { Query: Resolvers; Mutation: Resolvers } = {
  Query: {
    approvals: (_root, _args, { services, principal }) => listApprovals(services, principal),
  },
  Mutation: {
    approve: decide('approve'),
    reject: decide('reject'),
    approvalLink: async (_root, args, { services, principal, reply }) => {
      const { runId, nodeId, decision, ttlSeconds } = parseArguments(ApprovalLinkArguments, args);
      const token = await issueApprovalLink(services, principal, {
        runId,
        nodeId,
        decision,
        ttlSeconds: ttlSeconds ?? undefined,
      });
      return `${reply.request.protocol}://${reply.request.host}/approvals/${token}`;
    },
  },
};
