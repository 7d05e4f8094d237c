import { WorkflowNameSchema, z } from '@flowforge/connectors-sdk';
import { type Trigger, TriggerSchema } from '@flowforge/connectors-sdk/contract';
import type { IResolverObject, MercuriusContext, MercuriusLoaders } from 'mercurius';

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

/**
 * RunView.trigger, from the Run rows: one query for all the runs of an answer (`runs` lists up to
 * 100). Temporal does not know how a run was started; the row was written when it was.
 */
export const runLoaders: MercuriusLoaders = {
  RunView: {
    trigger: async (queries: Array<{ obj: RunView }>, { services }): Promise<Array<Trigger | null>> => {
      const rows = await services.prisma.run.findMany({
        where: { id: { in: queries.map(({ obj }) => obj.runId) } },
        select: { id: true, trigger: true },
      });
      const triggers = new Map(rows.map((row) => [row.id, TriggerSchema.safeParse(row.trigger).data ?? null]));
      return queries.map(({ obj }) => triggers.get(obj.runId) ?? null);
    },
  },
};
