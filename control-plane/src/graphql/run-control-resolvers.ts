import { z } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { cancelRun, pauseRun, resumeRun, retryRun } from '../runs/run-control.ts';
import type { RunView } from '../runs/run-view.ts';
import { parseArguments, RunIdSchema } from './arguments.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

const RunControlArguments = z.object({ id: RunIdSchema });

/** cancelRun, pauseRun, resumeRun, retryRun: each answers with a RunView (retry: the new run's). */
export const runControlResolvers: { Mutation: Resolvers } = {
  Mutation: {
    cancelRun: (_root, args, { services, principal }) =>
      cancelRun(services, parseArguments(RunControlArguments, args).id, principal.actor),
    pauseRun: (_root, args, { services, principal }) =>
      pauseRun(services, parseArguments(RunControlArguments, args).id, principal.actor),
    resumeRun: (_root, args, { services, principal }) =>
      resumeRun(services, parseArguments(RunControlArguments, args).id, principal.actor),
    retryRun: async (_root, args, { services, principal }): Promise<RunView> =>
      (await retryRun(services, parseArguments(RunControlArguments, args).id, principal.actor)).run,
  },
};
