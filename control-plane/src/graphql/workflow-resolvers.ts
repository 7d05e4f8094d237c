import { WorkflowNameSchema, z } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';

type Resolvers = IResolverObject<unknown, MercuriusContext>;
// Field resolvers of object types receive the parent object (typed per field).
type TypeResolvers = Record<string, Record<string, (source: never) => unknown>>;

import { validateOnQueue } from '../node-types/queue-registry.ts';
import { listWorkflows, type WorkflowSummary } from '../workflows/list-workflows.ts';
import { pushWorkflow } from '../workflows/push-workflow.ts';
import { parseArguments } from './arguments.ts';

const WorkflowArguments = z.object({ name: WorkflowNameSchema });
const ListArguments = z.object({ includeArchived: z.boolean().nullish() });
const PushArguments = z.object({
  definition: z.unknown(),
  message: z.string().trim().min(1).max(2000, { error: 'a version message is at most 2000 characters' }).nullish(),
});

export const workflowResolvers: { Query: Resolvers; Mutation: Resolvers; types: TypeResolvers } = {
  Query: {
    workflows: async (_root, args, { services }) =>
      listWorkflows(services.prisma, services.projectId, {
        includeArchived: parseArguments(ListArguments, args).includeArchived ?? false,
      }),
    workflow: async (_root, args, { services }) => {
      const { name } = parseArguments(WorkflowArguments, args);
      return (await listWorkflows(services.prisma, services.projectId, { name }))[0] ?? null;
    },
    // A definition is checked whole (every issue at once); the JSON scalar has checked its depth.
    validateWorkflow: async (_root, { definition }: { definition: unknown }, { services }) => {
      const result = await validateOnQueue(services, definition);
      return { valid: result.ok, issues: result.ok ? [] : result.issues };
    },
  },
  Mutation: {
    pushWorkflow: (_root, args, { services, principal }) => {
      const { definition, message } = parseArguments(PushArguments, args);
      return pushWorkflow(services, definition, principal.actor, { message: message ?? null });
    },
  },
  types: {
    Workflow: {
      activatedAt: (workflow: WorkflowSummary) => workflow.activatedAt?.toISOString() ?? null,
    },
    WorkflowVersion: {
      createdAt: (version: WorkflowSummary['versions'][number]) => version.createdAt.toISOString(),
    },
  },
};
