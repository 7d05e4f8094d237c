import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';

type Resolvers = IResolverObject<unknown, MercuriusContext>;
// Field resolvers of object types receive the parent object (typed per field).
type TypeResolvers = Record<string, Record<string, (source: never) => unknown>>;

import { listRuns } from '../runs/list-runs.ts';
import { getRunView, type RunView } from '../runs/run-view.ts';
import { startRun } from '../runs/start-run.ts';
import { runControlResolvers } from './run-control-resolvers.ts';

export const runResolvers: { Query: Resolvers; Mutation: Resolvers; types: TypeResolvers } = {
  Query: {
    run: (_root, { id, waitSeconds }: { id: string; waitSeconds?: number | null }, { services, reply }) => {
      if (waitSeconds != null && waitSeconds < 0) {
        throw new FlowForgeError('FF_BAD_INPUT', 'waitSeconds cannot be negative', { path: ['waitSeconds'] });
      }
      // Resume URLs (core.wait, resume: webhook) point at the address the caller reached us on.
      const baseUrl = `${reply.request.protocol}://${reply.request.host}`;
      return getRunView({ ...services, baseUrl }, id, waitSeconds ?? 0);
    },
    runs: (_root, args: { workflow?: string | null; limit?: number | null }, { services }) => listRuns(services, args),
  },
  Mutation: {
    startRun: async (
      _root,
      args: { workflow: string; version?: number | null; input?: unknown },
      { services, principal },
    ) => {
      const started = await startRun(services, args, principal.actor);
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
