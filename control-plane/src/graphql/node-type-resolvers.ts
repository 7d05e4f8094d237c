import type { IResolverObject, MercuriusContext } from 'mercurius';
import { findNodeType, listNodeTypes } from '../node-types/catalogue.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** The node catalogue (a contract: the builder's palette and `flowforge nodes` read it). */
export const nodeTypeSchema = /* GraphQL */ `
  extend type Query {
    "The node types workflows on a task queue (default: the control plane's) may use: the built-in ones, then those only that queue's workers offer (asked through Temporal, cached for seconds)."
    nodeTypes(taskQueue: String): [NodeType!]!
    "One node type; null when neither the control plane nor the queue's workers know it."
    nodeType(type: String!, taskQueue: String): NodeType
  }

  type NodeType {
    "Namespaced id, as a workflow file's node names it: core.set, acme.greet."
    type: String!
    displayName: String!
    description: String!
    "The palette group: trigger, flow, transform, human, developer, integration."
    group: String!
    version: Int!
    "Used when a node sets no timeout: 30s, 5m."
    defaultTimeout: String!
    "JSON Schema (draft 2020-12) of the params as a workflow file writes them."
    paramsSchema: JSON!
    inputs: [String!]!
    "The input ports depend on the params: inputs lists none and any port name may be connected."
    dynamicInputs: Boolean!
    "More input ports allowed: a regular expression's source (core.merge takes in3, in4...)."
    extraInputs: String
    outputs: [String!]!
    "The output ports depend on the params (core.switch: its rules name them)."
    dynamicOutputs: Boolean!
    extraOutputs: String
    "Credential slots: [{ name, type, required?, description? }]."
    credentials: JSON!
    "{ trigger, durableWait, pure, linkedWorkflows }, each a boolean."
    capabilities: JSON!
    "Params that are never expressions (a Code node's code)."
    literalParams: [String!]!
    "builtin: the control plane defines it; worker: only the task queue's workers do."
    source: String!
  }
`;

export const nodeTypeResolvers: { Query: Resolvers } = {
  Query: {
    nodeTypes: (_root, { taskQueue }: { taskQueue?: string | null }, { services }) =>
      listNodeTypes(services, taskQueue ?? services.taskQueue),
    nodeType: (_root, { type, taskQueue }: { type: string; taskQueue?: string | null }, { services }) =>
      findNodeType(services, type, taskQueue ?? services.taskQueue),
  },
};
