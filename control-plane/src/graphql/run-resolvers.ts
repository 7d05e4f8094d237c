import { WorkflowNameSchema, z } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';

type Resolvers = IResolverObject<unknown, MercuriusContext>;
// Field resolvers of object types receive the parent object (typed per field).
type TypeResolvers = Record<string, Record<string, (source: never) => unknown>>;

import { listRuns, MAX_RUN_LIMIT } from '../runs/list-runs.ts';
import { getRunView, type RunView } from '../runs/run-view.ts';
import { startRun } from '../runs/start-run.ts';
import { parseArguments, RunIdSchema } from './arguments.ts';
import { runControlResolvers } from './run-control-resolvers.ts';

const RunArguments = z.object({
  id: RunIdSchema,
  waitSeconds: z.int().min(0, { error: 'cannot be negative (0 answers at once)' }).nullish(),
});

const RunsArguments = z.object({
  workflow: WorkflowNameSchema.nullish(),
  limit: z
    .int()
    .min(1, { error: `must be 1 to ${MAX_RUN_LIMIT}` })
    .max(MAX_RUN_LIMIT, { error: `must be 1 to ${MAX_RUN_LIMIT}` })
    .nullish(),
});

const StartRunArguments = z.object({
  workflow: WorkflowNameSchema,
  version: z.int().min(1, { error: 'versions start at 1 (leave it out to run the latest)' }).nullish(),
  // Any JSON: the JSON scalar has checked its depth and keys; the trigger turns it into items.
  input: z.unknown().optional(),
});

export const runResolvers: { Query: Resolvers; Mutation: Resolvers; types: TypeResolvers } = {
  Query: {
    run: (_root, args, { services, reply }) => {
      const { id, waitSeconds } = parseArguments(RunArguments, args);
      // Resume URLs (core.wait, resume: webhook) point at the address the caller reached us on.
      const baseUrl = `${reply.request.protocol}://${reply.request.host}`;
      return getRunView({ ...services, baseUrl }, id, waitSeconds ?? 0);
    },
    runs: (_root, args, { services }) => listRuns(services, parseArguments(RunsArguments, args)),
  },
  Mutation: {
    startRun: async (_root, args, { services, principal }) => {
      const started = await startRun(services, parseArguments(StartRunArguments, args), principal.actor);
      // Just started: RUNNING with no node started yet. Not read back, so the call returns at once.
      const view: RunView = {
        runId: started.runId,
        workflow: started.workflow,
        status: 'RUNNING',
        nodes: {},
        startedAt: started.startedAt.toISOString(),
      };
      return view;
    },
    ...runControlResolvers.Mutation,
  },
  types: {
    RunView: {
      finishedAt: (run: RunView) => run.finishedAt ?? null,
      paused: (run: RunView) => run.paused ?? false,
      reused: (run: RunView) => run.reused ?? [],
    },
  },
};
