import type { FastifyInstance } from 'fastify';
import { checkJsonArgument } from '../boundary/json-arguments.ts';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { resumeRun } from './resume-run.ts';

/**
 * `POST /webhook/resume/<token>`: the JSON body becomes the waiting core.wait node's output. No API
 * key: the signed single-use token is the credential (like an approval link). Errors answer with
 * their FF_* code and status (app.ts's error handler): 400 tampered or a body nested too deep (it
 * becomes the node's output items, which have the same depth limit), 410 used or ended.
 */
export async function registerResumeRoutes(app: FastifyInstance, services: ControlPlaneServices): Promise<void> {
  await app.register(async (scope) => {
    // A wildcard, not `:token`: a signed token is longer than Fastify's 100-character parameter limit.
    scope.post<{ Params: { '*': string } }>('/webhook/resume/*', async (request, reply) => {
      checkJsonArgument(request.body, ['body'], 'the resume body');
      const accepted = await resumeRun(services, request.params['*'], request.body);
      return reply.send({ resumed: true, ...accepted });
    });
  });
}
