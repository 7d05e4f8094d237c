import { FlowForgeError } from '@flowforge/connectors-sdk';
import { RUN_EVENTS_PATH, RunEventBatchSchema } from '@flowforge/connectors-sdk/contract';
import type { FastifyInstance } from 'fastify';
import { workerTokenCheck } from '../credentials/worker-token.ts';
import type { RunEventBus } from './run-event-bus.ts';

/**
 * `POST /internal/run-events`: where workers hand over their runs' live events (batched, see
 * workers/src/events/run-event-channel.ts), behind the worker token like credential resolution.
 * Each batch is NOTIFYed to every replica on the database (./run-event-bus.ts) before the answer,
 * so a worker's batches reach subscribers in the order it sent them.
 */
export async function registerRunEventRoutes(
  app: FastifyInstance,
  options: { bus: RunEventBus; workerToken: string },
): Promise<void> {
  const checkWorkerToken = workerTokenCheck(options.workerToken, 'run events');
  app.post(RUN_EVENTS_PATH, { bodyLimit: 1024 * 1024 }, async (request, reply) => {
    checkWorkerToken(request.headers.authorization);
    const parsed = RunEventBatchSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FlowForgeError(
        'FF_BAD_INPUT',
        `a run-event batch is { events: [{ runId, event, at, ... }] }: ${issue?.message}`,
        {
          path: (issue?.path ?? []).filter((key) => typeof key !== 'symbol'),
        },
      );
    }
    await options.bus.publish(parsed.data.events);
    return reply.status(202).send({ accepted: parsed.data.events.length });
  });
}
