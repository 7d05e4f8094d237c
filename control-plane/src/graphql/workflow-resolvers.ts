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

export const workflowResolvers: { Query: Resolvers; Mutation: Resolvers; types: TypeResolvers } = {
  Query: {
    workflows: async (_root, _args, { services }) => listWorkflows(services.prisma, services.projectId),
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
    pushWorkflow: (_root, { definition }: { definition: unknown }, { services, principal }) =>
      pushWorkflow(services, definition, principal.actor),
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
