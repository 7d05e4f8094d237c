import type { Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { PrismaClient } from './database.ts';
import { checkHealth } from './health.ts';

export interface HealthRoutes {
  /** From now on /readyz answers 503 (shutting down), so a load balancer sends nothing new. */
  drain(): void;
}

/**
 * `/healthz`: liveness, the process answers (no dependency is asked: a PostgreSQL outage must not
 * make an orchestrator restart every replica). `/readyz`: readiness, PostgreSQL and Temporal answer
 * and the process is not shutting down; 503 naming what is down otherwise.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { prisma: PrismaClient; temporal: Connection; temporalAddress: string },
): HealthRoutes {
  let draining = false;
  // An answer given while draining closes its connection: a keep-alive client would otherwise hold
  // the server open until its idle timeout, after every request in flight has been answered.
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    if (draining) return reply.status(503).send({ ok: false, down: { controlPlane: 'shutting down' } });
    const health = await checkHealth(deps.prisma, deps.temporal, deps.temporalAddress);
    return reply.status(health.ok ? 200 : 503).send(health);
  });
  return {
    drain() {
      draining = true;
    },
  };
}
