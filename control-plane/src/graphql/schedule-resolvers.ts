import type { IResolverObject, MercuriusContext } from 'mercurius';
import { z } from 'zod';
import { listSchedules } from '../schedules/list-schedules.ts';
import { pauseSchedules, resumeSchedules, triggerSchedules } from '../schedules/schedule-control.ts';
import { parsedArgs } from './parsed-args.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/** Schedules: extends Query and Mutation. */
export const scheduleSchema = /* GraphQL */ `
  extend type Query {
    "The Temporal Schedules of the active workflows (one per trigger.schedule node), as Temporal describes them."
    schedules(workflow: String): [Schedule!]!
  }

  extend type Mutation {
    "Pauses every schedule of the workflow: no run starts on time until resumeSchedule."
    pauseSchedule(workflow: String!, note: String): [Schedule!]!
    resumeSchedule(workflow: String!): [Schedule!]!
    "Starts one run now for each schedule of the workflow, as that schedule's run (paused or not)."
    triggerSchedule(workflow: String!): [TriggeredRun!]!
  }

  type Schedule {
    workflow: String!
    "The version the schedule starts."
    version: Int!
    nodeId: String!
    scheduleId: String!
    "The trigger node's parameters as the workflow file wrote them ({ cron | every, timezone?, overlap?, catchupWindow? })."
    spec: JSON!
    "The next times it fires (ISO), soonest first."
    nextRuns: [String!]!
    paused: Boolean!
    "Set when Temporal does not have the schedule the active version should have."
    note: String
  }

  type TriggeredRun {
    workflow: String!
    version: Int!
    nodeId: String!
    "The run Temporal started; null when the schedule did not list it within 10 s."
    runId: String
  }
`;

const ListArgs = z.object({ workflow: z.string().min(1).nullish() });
const WorkflowArgs = z.object({ workflow: z.string().min(1), note: z.string().max(500).nullish() });

export const scheduleResolvers: { Query: Resolvers; Mutation: Resolvers } = {
  Query: {
    schedules: (_root, args, { services }) => listSchedules(services, parsedArgs(ListArgs, args).workflow ?? undefined),
  },
  Mutation: {
    pauseSchedule: (_root, args, { services, principal }) => {
      const { workflow, note } = parsedArgs(WorkflowArgs, args);
      return pauseSchedules(services, workflow, principal.actor, note);
    },
    resumeSchedule: (_root, args, { services, principal }) =>
      resumeSchedules(services, parsedArgs(WorkflowArgs, args).workflow, principal.actor),
    triggerSchedule: (_root, args, { services, principal }) =>
      triggerSchedules(services, parsedArgs(WorkflowArgs, args).workflow, principal.actor),
  },
};
