import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { DecisionKind } from '@flowforge/connectors-sdk/contract';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { issueApprovalLink } from '../approvals/approval-link.ts';
import { decideApproval } from '../approvals/decide-approval.ts';
import { listApprovals } from '../approvals/list-approvals.ts';
import { getRunView } from '../runs/run-view.ts';

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
    "A signed single-use link (GET shows, POST decides) that makes this decision as the caller; expires in ttlSeconds (7 days)."
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

interface DecideArgs {
  runId: string;
  nodeId?: string | null;
  comment?: string | null;
  fields?: unknown;
}

const decide =
  (decision: DecisionKind) =>
  async (_root: unknown, args: DecideArgs, { services, principal }: MercuriusContext) => {
    if (args.fields != null && (typeof args.fields !== 'object' || Array.isArray(args.fields))) {
      throw new FlowForgeError('FF_BAD_INPUT', 'fields is an object of field name → value', { path: ['fields'] });
    }
    await decideApproval(services, principal, {
      runId: args.runId,
      nodeId: args.nodeId,
      decision,
      comment: args.comment,
      fields: args.fields as Record<string, unknown> | null | undefined,
    });
    return getRunView(services, args.runId);
  };

export const approvalResolvers: { Query: Resolvers; Mutation: Resolvers } = {
  Query: {
    approvals: (_root, _args, { services, principal }) => listApprovals(services, principal),
  },
  Mutation: {
    approve: decide('approve'),
    reject: decide('reject'),
    approvalLink: async (
      _root,
      args: { runId: string; nodeId?: string | null; decision: string; ttlSeconds?: number | null },
      { services, principal, reply },
    ) => {
      if (args.decision !== 'approve' && args.decision !== 'reject') {
        throw new FlowForgeError('FF_BAD_INPUT', 'decision is "approve" or "reject"', { path: ['decision'] });
      }
      if (args.ttlSeconds != null && args.ttlSeconds <= 0) {
        throw new FlowForgeError('FF_BAD_INPUT', 'ttlSeconds must be positive', { path: ['ttlSeconds'] });
      }
      const token = await issueApprovalLink(services, principal, {
        runId: args.runId,
        nodeId: args.nodeId,
        decision: args.decision,
        ttlSeconds: args.ttlSeconds ?? undefined,
      });
      return `${reply.request.protocol}://${reply.request.host}/approvals/${token}`;
    },
  },
};
