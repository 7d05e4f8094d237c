import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../audit.ts';
import { authenticate } from '../../auth/api-keys.ts';
import type { ControlPlaneServices } from '../../graphql/context.ts';
import { streamRunArchive } from './export-archive.ts';
import { planRunExport } from './export-plan.ts';

export const RUN_EXPORT_SUFFIX = '/export';

/**
 * `GET /runs/<runId>/export`: the run's audit archive (a .tar.gz, ./export-archive.ts), behind an
 * API key as GraphQL is. A wildcard rather than `:runId`: run ids (a schedule's, a child run's) can
 * pass Fastify's 100-character parameter limit. Errors before the first byte answer `{ error }` with
 * the code's status (app.ts): 401 without a valid key, 404 FF_NOT_FOUND for a run this project
 * does not have, 503 when Temporal is down. Every export is an audit event (`run.export`).
 */
export async function registerRunExportRoutes(app: FastifyInstance, services: ControlPlaneServices): Promise<void> {
  app.get<{ Params: { '*': string } }>('/runs/*', async (request, reply) => {
    const principal = await authenticate(services.prisma, request.headers.authorization);
    const path = request.params['*'];
    if (!path.endsWith(RUN_EXPORT_SUFFIX) || path.length === RUN_EXPORT_SUFFIX.length) {
      throw new FlowForgeError('FF_NOT_FOUND', `no route GET /runs/${path}`, {
        hint: 'GET /runs/<runId>/export is the only route under /runs (everything else is GraphQL)',
      });
    }
    const runId = path.slice(0, -RUN_EXPORT_SUFFIX.length);
    const plan = await planRunExport(services, runId);
    await recordAudit(services.prisma, {
      actor: principal.actor,
      action: 'run.export',
      target: `run:${runId}`,
      data: { nodes: plan.nodes.length },
    });
    return reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', `attachment; filename="${encodeURIComponent(runId)}.tar.gz"`)
      .header('x-flowforge-export-nodes', String(plan.nodes.length))
      .send(streamRunArchive(plan, services.artifacts));
  });
}
