import { FlowForgeError } from '@flowforge/connectors-sdk';
import { CREDENTIAL_RESOLVE_PATH, CredentialResolveRequestSchema } from '@flowforge/connectors-sdk/contract';
import type { FastifyInstance } from 'fastify';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { resolveCredential } from './resolve-credential.ts';
import { workerTokenCheck } from './worker-token.ts';

/**
 * `POST /internal/credentials/resolve`: the one place a credential value leaves the control plane,
 * to a worker, for the node of a running run that names it (resolve-credential.ts). Not behind an
 * API key but behind the worker token: `Authorization: Bearer <worker token>`. The answer is never
 * cached (`no-store`) and nothing about it is logged beyond Fastify's request line.
 */
export async function registerCredentialRoutes(app: FastifyInstance, services: ControlPlaneServices): Promise<void> {
  const checkWorkerToken = workerTokenCheck(services.credentials.workerToken, 'credential requests');
  await app.register(async (scope) => {
    scope.post(CREDENTIAL_RESOLVE_PATH, { bodyLimit: 16 * 1024 }, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      checkWorkerToken(request.headers.authorization);
      const parsed = CredentialResolveRequestSchema.safeParse(request.body);
      if (!parsed.success) {
        throw new FlowForgeError(
          'FF_BAD_INPUT',
          'a credential request is { workflowId, executionRunId, activityId, nodeId, slot }',
        );
      }
      return reply.send(await resolveCredential(services, parsed.data));
    });
  });
}
