import { FlowForgeError } from '@flowforge/connectors-sdk';
import { AUDIT_PAGE_MAX, AuditOrderSchema } from '@flowforge/connectors-sdk/contract';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { z } from 'zod';
import { listAuditEvents } from '../audit/list-audit-events.ts';
import { DEFAULT_PROJECT } from '../workspace.ts';
import { parsedArgs } from './parsed-args.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** The audit log (read-only: no mutation changes or deletes an event). Extends Query. */
export const auditSchema = /* GraphQL */ `
  extend type Query {
    "Audit events of a project (default: default), newest first unless order says otherwise; first 1 to 500 (50). Pass nextCursor as after for the next page."
    auditEvents(
      project: String
      "ISO time: only events at or after it."
      since: String
      action: String
      first: Int
      after: String
      order: AuditOrder
    ): AuditEventPage!
  }

  enum AuditOrder {
    NEWEST_FIRST
    OLDEST_FIRST
  }

  type AuditEventPage {
    events: [AuditEvent!]!
    "null when this page is the last."
    nextCursor: String
  }

  "One change, as it was made: never updated or deleted."
  type AuditEvent {
    id: ID!
    "Insertion order (a 64-bit counter, as a decimal string)."
    seq: String!
    at: String!
    "api-key:<name> or system."
    actor: String!
    "Dotted verb: workflow.push, run.start, credential.set ..."
    action: String!
    target: String!
    project: String!
    "The HTTP request that made the change (the x-request-id response header)."
    requestId: String
    "sha256 of what the target was before and after, where that applies."
    beforeHash: String
    afterHash: String
    data: JSON!
  }
`;

const AuditArgs = z.object({
  project: z.string().min(1).max(100).nullish(),
  since: z.iso
    .datetime({ offset: true, error: 'since is an ISO time like 2026-12-01T09:00:00Z' })
    .nullish()
    .transform((value) => (value ? new Date(value) : undefined)),
  action: z.string().min(1).max(100).nullish(),
  first: z.number().int().min(1).max(AUDIT_PAGE_MAX).nullish(),
  after: z.string().min(1).max(40).nullish(),
  order: AuditOrderSchema.nullish(),
});

export const auditResolvers: { Query: Resolvers } = {
  Query: {
    auditEvents: async (_root, args, { services }) => {
      const parsed = parsedArgs(AuditArgs, args);
      const project = parsed.project ?? DEFAULT_PROJECT;
      if (!(await services.prisma.project.findFirst({ where: { name: project }, select: { id: true } }))) {
        throw new FlowForgeError('FF_NOT_FOUND', `no project named "${project}"`, {
          path: ['project'],
          hint: `leave project out for "${DEFAULT_PROJECT}"`,
        });
      }
      return listAuditEvents(services.prisma, {
        project,
        since: parsed.since,
        action: parsed.action ?? undefined,
        first: parsed.first ?? undefined,
        after: parsed.after ?? undefined,
        order: parsed.order ?? undefined,
      });
    },
  },
};
