import { WorkflowNameSchema, z } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { archiveWorkflow, unarchiveWorkflow } from '../workflows/archive.ts';
import type { WorkflowSummary } from '../workflows/list-workflows.ts';
import { diffVersions } from '../workflows/version-diff.ts';
import { parseArguments } from './arguments.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** Version history: diffs, archive. Extends Query, Mutation, Workflow and WorkflowVersion. */
export const versionSchema = /* GraphQL */ `
  extend type Query {
    "What changed from version from to version to (either order) of a workflow, archived ones too."
    workflowDiff(name: String!, from: Int!, to: Int!): WorkflowDiff!
  }

  extend type Mutation {
    "Turns the workflow's triggers off and refuses pushes, activations and runs (FF_ARCHIVED) until unarchived; its runs and versions stay readable."
    archiveWorkflow(name: String!): ArchiveResult!
    "Makes an archived workflow usable again; it stays inactive until activated."
    unarchiveWorkflow(name: String!): ArchiveResult!
  }

  extend type Workflow {
    archived: Boolean!
    archivedAt: String
  }

  extend type WorkflowVersion {
    "What the pusher said (flowforge workflow push --message)."
    message: String
    "Who pushed it (api-key:<name>); null for versions from before this was recorded."
    actor: String
    "Whether this is the version the workflow's webhooks and schedules start."
    active: Boolean!
  }

  type WorkflowDiff {
    nodes: NodesDiff!
    edges: EdgesDiff!
    settings: SettingsDiff!
  }

  type NodesDiff {
    "Ids of nodes only the newer version has, in its order."
    added: [String!]!
    "Ids of nodes only the older version has, in its order."
    removed: [String!]!
    "Nodes in both whose content differs, each with every changed path (params.values.total, type, params.roles[1])."
    changed: [ChangedNode!]!
  }

  type ChangedNode {
    id: String!
    paths: [String!]!
  }

  type EdgesDiff {
    added: [DiffEdge!]!
    removed: [DiffEdge!]!
  }

  "An edge of the workflow file with its ports spelled out."
  type DiffEdge {
    from: String!
    fromPort: String!
    to: String!
    toPort: String!
  }

  type SettingsDiff {
    "Changed paths under settings (timeout, errorWorkflow), sorted."
    changed: [String!]!
  }

  type ArchiveResult {
    workflow: String!
    archived: Boolean!
    archivedAt: String
    "The version that was active until the archive turned its triggers off."
    previousVersion: Int
  }
`;

const DiffArguments = z.object({ name: WorkflowNameSchema, from: z.int().min(1), to: z.int().min(1) });
const NameArguments = z.object({ name: WorkflowNameSchema });

export const versionResolvers: {
  Query: Resolvers;
  Mutation: Resolvers;
  types: Record<string, Record<string, (source: never) => unknown>>;
} = {
  Query: {
    workflowDiff: (_root, args, { services }) => {
      const { name, from, to } = parseArguments(DiffArguments, args);
      return diffVersions(services.prisma, services.projectId, name, from, to);
    },
  },
  Mutation: {
    archiveWorkflow: async (_root, args, { services, principal }) => {
      const deps = { ...services, routesChanged: () => services.webhooks.invalidate() };
      return answer(await archiveWorkflow(deps, parseArguments(NameArguments, args).name, principal.actor));
    },
    unarchiveWorkflow: async (_root, args, { services, principal }) =>
      answer(await unarchiveWorkflow(services, parseArguments(NameArguments, args).name, principal.actor)),
  },
  types: {
    Workflow: {
      archived: (workflow: WorkflowSummary) => workflow.archivedAt !== null,
      archivedAt: (workflow: WorkflowSummary) => workflow.archivedAt?.toISOString() ?? null,
    },
  },
};

function answer(result: Awaited<ReturnType<typeof archiveWorkflow>>) {
  return { ...result, archivedAt: result.archivedAt?.toISOString() ?? null };
}
