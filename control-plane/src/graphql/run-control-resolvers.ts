import type { IResolverObject, MercuriusContext } from 'mercurius';
import { cancelRun, pauseRun, resumeRun, retryRun } from '../runs/run-control.ts';
import type { RunView } from '../runs/run-view.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** cancelRun, pauseRun, resumeRun, retryRun: each answers with a RunView (retry: the new run's). */
export const runControlResolvers: { Mutation: Resolvers } = {
  Mutation: {
    cancelRun: (_root, { id }: { id: string }, { services, principal }) => cancelRun(services, id, principal.actor),
    pauseRun: (_root, { id }: { id: string }, { services, principal }) => pauseRun(services, id, principal.actor),
    resumeRun: (_root, { id }: { id: string }, { services, principal }) => resumeRun(services, id, principal.actor),
    retryRun: async (_root, { id }: { id: string }, { services, principal }): Promise<RunView> =>
      (await retryRun(services, id, principal.actor)).run,
  },
};
