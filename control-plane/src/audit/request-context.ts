import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** What the audit log needs to know about the HTTP request a change came from. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs every route handler inside its request's context, so `recordAudit` finds the request id
 * without each service taking it as an argument. Entered in preHandler, after the body is read:
 * body parsing runs on the socket's stream events, which carry the connection's async context, not
 * one entered earlier in onRequest.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    storage.run({ requestId: request.id }, done);
  });
}

/** The request id of the HTTP request this code runs for; undefined outside one (start-up, timers). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
