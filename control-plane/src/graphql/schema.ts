import { subscriptionSchema } from '../events/subscriptions.ts';
import { activationSchema } from './activation-resolvers.ts';
import { approvalSchema } from './approval-resolvers.ts';
import { auditSchema } from './audit-resolvers.ts';
import { credentialSchema } from './credential-resolvers.ts';
import { nodeTypeSchema } from './node-type-resolvers.ts';
import { scheduleSchema } from './schedule-resolvers.ts';
import { versionSchema } from './version-resolvers.ts';

/** The GraphQL API. JSON carries definitions, inputs and items as they are (they have their own zod schemas). */
export const schema = /* GraphQL */ `
  scalar JSON

  type Query {
    "Every workflow of the default project, by name; archived ones only with includeArchived."
    workflows(includeArchived: Boolean): [Workflow!]!
    workflow(name: String!): Workflow
    "Checks a definition without storing it: every issue at once."
    validateWorkflow(definition: JSON!): ValidationResult!
    "A run as Temporal knows it; with waitSeconds, waits (server-side, at most 120 s) for it to end first."
    run(id: ID!, waitSeconds: Int): RunView!
    "The newest runs first (limit 1 to 100, 20 when left out), of one workflow or all."
    runs(workflow: String, limit: Int): [RunView!]!
  }

  type Mutation {
    "Stores the definition as a new version unless the same content exists (then created is false and the message is not stored)."
    pushWorkflow(definition: JSON!, message: String): PushResult!
    "Starts a run of a workflow's latest (or given) version."
    startRun(workflow: String!, version: Int, input: JSON): RunView!
    "Cancels a running run: running nodes are cancelled; answers once it ended (CANCELLED), or after 10 s."
    cancelRun(id: ID!): RunView!
    "Pauses a running run: running nodes finish, no new node starts until resumeRun."
    pauseRun(id: ID!): RunView!
    resumeRun(id: ID!): RunView!
    "A new run of the same version and input that reuses the outputs of the nodes that succeeded (listed in reused)."
    retryRun(id: ID!): RunView!
  }

  type Workflow {
    name: String!
    latestVersion: Int!
    "The version its webhooks and schedules start (flowforge workflow activate); null: its triggers are off."
    activeVersion: Int
    activatedAt: String
    "Newest first."
    versions: [WorkflowVersion!]!
  }

  type WorkflowVersion {
    version: Int!
    hash: String!
    createdAt: String!
    definition: JSON!
  }

  type PushResult {
    workflow: String!
    version: Int!
    hash: String!
    created: Boolean!
  }

  type Issue {
    code: String!
    message: String!
    path: [JSON!]!
  }

  type ValidationResult {
    valid: Boolean!
    issues: [Issue!]!
  }

  enum RunStatus {
    RUNNING
    COMPLETED
    FAILED
    CANCELLED
    TIMED_OUT
  }

  type RunWorkflow {
    name: String!
    version: Int!
  }

  type RunView {
    runId: ID!
    status: RunStatus!
    workflow: RunWorkflow!
    "Node id → { status, output { port: [items] }, attempts, error?, loop?, iteration? }; nodes that have not started are left out (a core.loop shows loop { iteration, batches, processed, total }, its body nodes their iteration)."
    nodes: JSON!
    error: JSON
    startedAt: String!
    finishedAt: String
    "Set when the node states could not be read (no worker answered)."
    note: String
    "RUNNING but paused: no new node starts until resumeRun."
    paused: Boolean!
    "Nodes whose outputs this run (a retry) took from the original run instead of running them."
    reused: [String!]!
    "The run of settings.errorWorkflow this run started when it failed."
    errorRun: String
    "How the run started: { kind: manual | webhook | schedule | retry | subworkflow | error, by?, retryOf?, parentRun?, schedule?, scheduledAt? }."
    trigger: JSON
  }
  ${approvalSchema}
  ${nodeTypeSchema}
  ${activationSchema}
  ${credentialSchema}
  ${scheduleSchema}
  ${versionSchema}
  ${subscriptionSchema}
  ${auditSchema}
`;
