import { type DescriptorRegistry, FlowForgeError, serializeError } from '@flowforge/connectors-sdk';
import { builtinTypeRegistry } from '@flowforge/connectors-sdk/builtin';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import mercurius, { type MercuriusOptions } from 'mercurius';
import { registerApprovalLinkRoutes } from './approvals/approval-link-routes.ts';
import { authenticate, type Principal } from './auth/api-keys.ts';
import { createPrisma, databaseUnavailable, isDatabaseUnreachable } from './database.ts';
import { activationResolvers } from './graphql/activation-resolvers.ts';
import { approvalResolvers } from './graphql/approval-resolvers.ts';
import type { ControlPlaneServices } from './graphql/context.ts';
import { errorFormatter } from './graphql/error-formatter.ts';
import { JSONScalar } from './graphql/json-scalar.ts';
import { runResolvers } from './graphql/run-resolvers.ts';
import { scheduleResolvers } from './graphql/schedule-resolvers.ts';
import { schema } from './graphql/schema.ts';
import { workflowResolvers } from './graphql/workflow-resolvers.ts';
import { checkHealth } from './health.ts';
import { httpStatusOf } from './http-status.ts';
import { TemporalSchedules } from './schedules/temporal-schedules.ts';
import { loadRunSigningKeys, type RunSigningKeys } from './signing/run-signing-keys.ts';
import { registerResumeRoutes } from './webhook-resume/resume-routes.ts';
import { WebhookRouter } from './webhooks/webhook-router.ts';
import { DEFAULT_WEBHOOK_BODY_LIMIT, registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { ensureDefaultProject } from './workspace.ts';

export interface AppOptions {
  databaseUrl: string;
  /** host:port of the Temporal frontend. */
  temporalAddress: string;
  namespace?: string;
  /** FLOWFORGE_HOME: keys (and, via main.ts, the CLI config) live here. */
  home: string;
  /** Where runs are started; workers listen on it. */
  taskQueue?: string;
  runSigningPrivateKeyPem?: string | undefined;
  /** The node types definitions are validated against; the built-in node types by default. */
  registry?: DescriptorRegistry;
  logger?: FastifyServerOptions['logger'];
  /** Bytes a webhook request body may have (FLOWFORGE_WEBHOOK_BODY_LIMIT); default 16 MiB. */
  webhookBodyLimit?: number;
}

export interface FlowForgeApp {
  services: ControlPlaneServices;
  signingKeys: RunSigningKeys;
  temporalConnection: Connection;
}

declare module 'fastify' {
  interface FastifyInstance {
    flowforge: FlowForgeApp;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * The control plane as a Fastify app (not listening yet): GraphQL at /graphql behind API keys,
 * health at /healthz. Creates the default workspace/project and the run signing keys when missing.
 * Temporal is connected lazily, so the app starts (and /healthz says so) while Temporal is down.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const prisma = createPrisma(options.databaseUrl);
  const temporalConnection = Connection.lazy({ address: options.temporalAddress });
  // Health checks say what they see now: no retry interceptor (its retries would outlive the check).
  const healthConnection = Connection.lazy({ address: options.temporalAddress, interceptors: [] });
  try {
    const signingKeys = loadRunSigningKeys({ home: options.home, privateKeyPem: options.runSigningPrivateKeyPem });
    const { projectId } = await ensureDefaultProject(prisma).catch((cause: unknown) => {
      throw new FlowForgeError(
        'FF_UNAVAILABLE',
        `PostgreSQL at ${databaseHost(options.databaseUrl)}: ${lastLine(cause)}`,
        {
          cause,
          hint: 'check that it runs and that the migrations were applied (npm start does both)',
        },
      );
    });
    const registry = options.registry ?? builtinTypeRegistry;
    const temporal = new Client({ connection: temporalConnection, namespace: options.namespace ?? 'default' });
    const taskQueue = options.taskQueue ?? 'flowforge';
    const signingKey = signingKeys.privateKey;
    const services: ControlPlaneServices = {
      prisma,
      temporal,
      registry,
      projectId,
      taskQueue,
      signingKey,
      webhooks: new WebhookRouter({ prisma, registry, projectId }),
      schedules: new TemporalSchedules({ prisma, temporal, projectId, registry, taskQueue, signingKey }),
    };
    const app = Fastify({ logger: options.logger ?? false });
    app.decorate('flowforge', { services, signingKeys, temporalConnection });
    app.addHook('onClose', async () => {
      await Promise.allSettled([prisma.$disconnect(), temporalConnection.close(), healthConnection.close()]);
    });
    app.setErrorHandler((raw, request, reply) => {
      const error = isDatabaseUnreachable(raw) ? databaseUnavailable(raw) : raw;
      if (error instanceof FlowForgeError) {
        return reply.status(httpStatusOf(error.code)).send({ error: serializeError(error) });
      }
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500) request.log.error({ err: error }, 'unexpected error');
      const code = status >= 500 ? 'FF_INTERNAL' : 'FF_BAD_INPUT';
      const message = status >= 500 ? 'internal error' : (error as Error).message;
      return reply.status(status).send({ error: { code, message } });
    });

    // Every GraphQL call needs an API key. Checked before Mercurius parses anything.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql') return;
      try {
        request.principal = await authenticate(prisma, request.headers.authorization);
      } catch (error) {
        if (!(error instanceof FlowForgeError)) throw error;
        const { code, hint } = serializeError(error);
        return reply
          .status(httpStatusOf(error.code))
          .send({ data: null, errors: [{ message: error.message, extensions: { code, hint } }] });
      }
    });
    const graphql: MercuriusOptions = {
      schema,
      resolvers: {
        ...workflowResolvers.types,
        ...runResolvers.types,
        JSON: JSONScalar,
        Query: {
          ...workflowResolvers.Query,
          ...runResolvers.Query,
          ...approvalResolvers.Query,
          ...scheduleResolvers.Query,
        },
        Mutation: {
          ...workflowResolvers.Mutation,
          ...runResolvers.Mutation,
          ...approvalResolvers.Mutation,
          ...activationResolvers.Mutation,
          ...scheduleResolvers.Mutation,
        },
      },
      context: (request) => ({ principal: request.principal as Principal, services }),
      errorFormatter,
      graphiql: false,
    };
    await app.register(mercurius, graphql);

    await registerApprovalLinkRoutes(app, services);
    await registerResumeRoutes(app, services);
    await registerWebhookRoutes(app, services, {
      router: services.webhooks,
      bodyLimit: options.webhookBodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT,
    });

    app.get('/healthz', async (_request, reply) => {
      const health = await checkHealth(prisma, healthConnection, options.temporalAddress);
      return reply.status(health.ok ? 200 : 503).send(health);
    });
    return app;
  } catch (error) {
    await Promise.allSettled([prisma.$disconnect(), temporalConnection.close(), healthConnection.close()]);
    throw error;
  }
}

/** host:port/database only: the URL's credentials never reach a log or an error. */
function databaseHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable FLOWFORGE_DATABASE_URL)';
  }
}

/** Prisma puts the reason on the last line, after a code frame. */
function lastLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n').at(-1) ?? '';
}
