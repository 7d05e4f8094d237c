import { FlowForgeError } from '@flowforge/connectors-sdk';
import { mayDecide, type RunEvent } from '@flowforge/connectors-sdk/contract';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { z } from 'zod';
import { listApprovals, type PendingApproval } from '../approvals/list-approvals.ts';
import { LIST_QUERY_DEADLINE_MS, waitingApprovals } from '../approvals/waiting-approvals.ts';
import { authenticate, type Principal } from '../auth/api-keys.ts';
import { parseArguments, RunIdSchema } from '../graphql/arguments.ts';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { findRun } from '../runs/unseen-runs.ts';
import { DEFAULT_PROJECT } from '../workspace.ts';
import { EventQueue } from './event-queue.ts';
import type { RunEventBus } from './run-event-bus.ts';
import { runEventStream } from './run-event-stream.ts';

/** The subscriptions (graphql-ws on /graphql): the live side of the run view, the runs list and the approvals inbox. */
export const subscriptionSchema = /* GraphQL */ `
  type Subscription {
    "The run's current state as events (run.started, each started node's latest status, the end if it ended), then its live events; ends after run.completed, run.failed or run.cancelled."
    runEvents(runId: ID!): RunEvent!
    "Runs of the project that start or end, as they do (no current state first: the runs query has it)."
    runsChanged(project: String): RunChange!
    "The approvals the caller may decide that wait now, then each one that starts waiting."
    approvalsWaiting(project: String): PendingApproval!
  }

  type RunEvent {
    runId: ID!
    "run.started | node.started | node.succeeded | node.failed | node.waiting | node.skipped | run.completed | run.failed | run.cancelled"
    event: String!
    nodeId: String
    "ISO time on the run's clock (the times its run view shows)."
    at: String!
    "A node in a core.loop's body: the iteration the event is from."
    iteration: Int
    "node.succeeded and node.failed: the attempts the node took."
    attempts: Int
    "node.waiting: approval | timer | webhook | subworkflow."
    waitingFor: String
    "run.* events."
    workflow: RunWorkflow
  }

  type RunChange {
    runId: ID!
    status: RunStatus!
    workflow: RunWorkflow
    at: String!
  }
`;

type Resolvers = IResolverObject<unknown, MercuriusContext>;

const ProjectArguments = z.object({ project: z.string().nullish() });

/** Projects come with the next round: until then the default one is the only one there is. */
function assertProject(args: unknown): void {
  const { project } = parseArguments(ProjectArguments, args);
  if (project && project !== DEFAULT_PROJECT) {
    throw new FlowForgeError('FF_NOT_FOUND', `no project "${project}"`, {
      path: ['project'],
      hint: `this control plane has one project, "${DEFAULT_PROJECT}"`,
    });
  }
}

const RUN_STATUS: Partial<Record<RunEvent['event'], string>> = {
  'run.started': 'RUNNING',
  'run.completed': 'COMPLETED',
  'run.failed': 'FAILED',
  'run.cancelled': 'CANCELLED',
};

export function subscriptionResolvers(bus: RunEventBus): Resolvers {
  return {
    runEvents: {
      subscribe: async (_root, args, { services }) => {
        const { runId } = parseArguments(z.object({ runId: RunIdSchema }), args);
        return runEventStream({ ...services, bus }, runId);
      },
      resolve: (event: RunEvent) => event,
    },
    runsChanged: {
      subscribe: async (_root, args) => {
        assertProject(args);
        const queue = new EventQueue<{ runId: string; status: string; at: string; workflow?: unknown }>();
        const unsubscribe = await bus.subscribe(undefined, {
          onEvents: (events) => {
            for (const event of events) {
              const status = RUN_STATUS[event.event];
              if (status) queue.push({ runId: event.runId, status, at: event.at, workflow: event.workflow });
            }
          },
          onLost: (error) => queue.fail(error),
        });
        queue.whenClosed(unsubscribe);
        return queue;
      },
      resolve: (change: unknown) => change,
    },
    approvalsWaiting: {
      subscribe: async (_root, args, { services, principal }) => {
        assertProject(args);
        return approvalsWaiting(services, bus, principal);
      },
      resolve: (approval: PendingApproval) => approval,
    },
  } as Resolvers;
}

/** Waiting approvals now (the `approvals` query), then each node.waiting event for an approval, read from its run. */
async function approvalsWaiting(
  services: ControlPlaneServices,
  bus: RunEventBus,
  principal: Principal,
): Promise<AsyncIterableIterator<PendingApproval>> {
  const queue = new EventQueue<PendingApproval>();
  const seen = new Set<string>();
  const offer = (approval: PendingApproval) => {
    const key = `${approval.runId}\u0000${approval.nodeId}\u0000${approval.since}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(approval);
  };
  const read = async (event: RunEvent) => {
    const waits = await waitingApprovals(services.temporal, event.runId, LIST_QUERY_DEADLINE_MS);
    const wait = event.nodeId === undefined ? undefined : waits.get(event.nodeId);
    if (!wait || !mayDecide(wait, principal.user, principal.roles)) return;
    const run = await findRun(services, event.runId);
    if (!run || run.version.workflow.projectId !== services.projectId || !event.nodeId) return;
    const { kind: _kind, ...details } = wait;
    offer({
      runId: event.runId,
      workflow: { name: run.version.workflow.name, version: run.version.version },
      nodeId: event.nodeId,
      ...details,
    });
  };
  let held: RunEvent[] | undefined = [];
  const onEvent = (event: RunEvent) => {
    if (event.event !== 'node.waiting' || event.waitingFor !== 'approval') return;
    // A run that ended or lost its worker meanwhile is simply not shown.
    read(event).catch(() => undefined);
  };
  const unsubscribe = await bus.subscribe(undefined, {
    onEvents: (events) => (held ? held.push(...events) : events.forEach(onEvent)),
    onLost: (error) => queue.fail(error),
  });
  queue.whenClosed(unsubscribe);
  try {
    for (const approval of await listApprovals(services, principal)) offer(approval);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  for (const event of held) onEvent(event);
  held = undefined;
  return queue;
}

/**
 * graphql-ws's connection_init: the API key rides in its payload (`{ authorization: "Bearer <key>" }`,
 * or `{ headers: { authorization } }`), since a browser cannot set headers on a WebSocket. Without a
 * valid key the connection is refused (Mercurius answers `connection_error` and closes it), before
 * any subscription starts.
 */
export function subscriptionOnConnect(services: ControlPlaneServices) {
  return async (message: { payload?: unknown }): Promise<Pick<MercuriusContext, 'principal' | 'services'> | false> => {
    const payload = (message.payload ?? {}) as { authorization?: unknown; headers?: { authorization?: unknown } };
    const authorization = payload.authorization ?? payload.headers?.authorization;
    try {
      const principal = await authenticate(
        services.prisma,
        typeof authorization === 'string' ? authorization : undefined,
      );
      return { principal, services };
    } catch {
      return false;
    }
  };
}
