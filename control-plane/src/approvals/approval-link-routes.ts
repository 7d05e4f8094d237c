import type { FastifyInstance } from 'fastify';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { readApprovalLink, useApprovalLink } from './approval-link.ts';

/**
 * `GET /approvals/<token>` describes the decision and offers a button; `POST` makes it. A GET never
 * decides: mail scanners and link previews fetch GETs. Errors answer with their FF_* code and
 * status (app.ts's error handler): 400 invalid or expired, 403 refused, 410 used already.
 */
export async function registerApprovalLinkRoutes(app: FastifyInstance, services: ControlPlaneServices): Promise<void> {
  await app.register(async (scope) => approvalLinkRoutes(scope, services));
}

function approvalLinkRoutes(app: FastifyInstance, services: ControlPlaneServices): void {
  // A wildcard, not `:token`: a signed token is longer than Fastify's 100-character parameter limit.
  // The GET page's button posts a form with no fields: accept that body (and ignore it) here only.
  app.addContentTypeParser('application/x-www-form-urlencoded', (_request, _payload, done) => done(null, {}));
  app.get<{ Params: { '*': string } }>('/approvals/*', async (request, reply) => {
    const claims = readApprovalLink(request.params['*'], services.signingKey);
    const summary = { runId: claims.runId, nodeId: claims.nodeId, decision: claims.decision, by: claims.by };
    if (!request.headers.accept?.includes('text/html')) return reply.send(summary);
    const verb = claims.decision === 'approve' ? 'Approve' : 'Reject';
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><title>${verb}</title><p>${verb} node <b>${escapeHtml(claims.nodeId)}</b> of run ` +
          `${escapeHtml(claims.runId)} as ${escapeHtml(claims.by)}?</p><form method="post"><button>${verb}</button></form>`,
      );
  });
  app.post<{ Params: { '*': string } }>('/approvals/*', async (request, reply) => {
    const decision = await useApprovalLink(services, request.params['*']);
    return reply.send({ decided: true, ...decision });
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
