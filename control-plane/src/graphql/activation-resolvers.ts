import type { IResolverObject, MercuriusContext } from 'mercurius';
import { z } from 'zod';
import { activateWorkflow, deactivateWorkflow } from '../workflows/activation.ts';
import { parsedArgs } from './parsed-args.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** Activation: extends Mutation (see activationSchema). */
export const activationSchema = /* GraphQL */ `
  extend type Mutation {
    "Makes a version (the latest by default) the one the workflow's webhooks and schedules start; another version switches over at once (this is also rollback)."
    activateWorkflow(name: String!, version: Int): Activation!
    "Turns the workflow's webhooks and schedules off."
    deactivateWorkflow(name: String!): Activation!
  }

  type Activation {
    workflow: String!
    "The active version now; null after deactivation."
    activeVersion: Int
    previousVersion: Int
    webhooks: [ActiveWebhook!]!
    "The schedule triggers of the active version: { nodeId, cron?, every?, timezone, overlap, catchupWindow? }."
    schedules: JSON!
  }

  type ActiveWebhook {
    method: String!
    path: String!
    nodeId: String!
    "Where it answers, from the address this request reached."
    url: String!
  }
`;

const ActivateArgs = z.object({ name: z.string().min(1), version: z.int().min(1).nullish() });
const DeactivateArgs = z.object({ name: z.string().min(1) });

export const activationResolvers: { Mutation: Resolvers } = {
  Mutation: {
    activateWorkflow: async (_root, args, { services, principal, reply }) => {
      const { name, version } = parsedArgs(ActivateArgs, args);
      const activation = await activateWorkflow(
        { ...services, routesChanged: () => services.webhooks.invalidate() },
        name,
        version ?? undefined,
        principal.actor,
      );
      const base = `${reply.request.protocol}://${reply.request.host}`;
      return { ...activation, webhooks: activation.webhooks.map((w) => ({ ...w, url: `${base}/webhook/${w.path}` })) };
    },
    deactivateWorkflow: (_root, args, { services, principal }) =>
      deactivateWorkflow(
        { ...services, routesChanged: () => services.webhooks.invalidate() },
        parsedArgs(DeactivateArgs, args).name,
        principal.actor,
      ),
  },
};
