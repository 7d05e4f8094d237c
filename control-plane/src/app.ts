import { join } from 'node:path';
import {
  type CredentialTypeRegistry,
  type DescriptorRegistry,
  FlowForgeError,
  serializeError,
} from '@flowforge/connectors-sdk';
import { FileArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import { builtinCredentialRegistry, builtinTypeRegistry } from '@flowforge/connectors-sdk/builtin';
import type { TemporalTls } from '@flowforge/connectors-sdk/temporal-tls';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import mercurius, { type MercuriusOptions } from 'mercurius';
import { registerApprovalLinkRoutes } from './approvals/approval-link-routes.ts';
import { registerRequestContext } from './audit/request-context.ts';
import type { Principal } from './auth/api-keys.ts';
import type { AuthSettings } from './auth/auth-settings.ts';
import { registerAuth } from './auth/register-auth.ts';
import { userResolvers, userSchema } from './auth/users/user-graphql.ts';
import { MAX_BODY_BYTES } from './boundary/json-arguments.ts';
import { registerJsonBodyParser } from './boundary/json-body.ts';
import { checkQueryText } from './boundary/query-text.ts';
import { frameworkRequestError, requestStatusOf } from './boundary/request-errors.ts';
import type { SecretsConfig } from './config.ts';
import { createSecretBackend } from './credentials/create-secret-backend.ts';
import { registerCredentialRoutes } from './credentials/resolve-route.ts';
import { loadWorkerToken } from './credentials/worker-token.ts';
import { createPrisma, databaseUnavailable, isDatabaseUnreachable } from './database.ts';
import { registerRunEventRoutes } from './events/ingest-route.ts';
import { RunEventBus } from './events/run-event-bus.ts';
import { subscriptionOnConnect, subscriptionResolvers } from './events/subscriptions.ts';
import { activationResolvers } from './graphql/activation-resolvers.ts';
import { approvalResolvers } from './graphql/approval-resolvers.ts';
import { auditResolvers } from './graphql/audit-resolvers.ts';
import type { ControlPlaneServices } from './graphql/context.ts';
import { credentialResolvers } from './graphql/credential-resolvers.ts';
import { errorFormatter } from './graphql/error-formatter.ts';
import { JSONScalar } from './graphql/json-scalar.ts';
import { nodeTypeResolvers } from './graphql/node-type-resolvers.ts';
import { runLoaders, runResolvers } from './graphql/run-resolvers.ts';
import { scheduleResolvers } from './graphql/schedule-resolvers.ts';
import { schema } from './graphql/schema.ts';
import { versionResolvers } from './graphql/version-resolvers.ts';
import { workflowResolvers } from './graphql/workflow-resolvers.ts';
import { type HealthRoutes, registerHealthRoutes } from './health-routes.ts';
import { httpStatusOf } from './http-status.ts';
import { askWorkers } from './node-types/ask-workers.ts';
import { WorkerNodeTypes } from './node-types/worker-node-types.ts';
import { echoRequestIds, requestIdOptions } from './observability/logging.ts';
import { registerMetricsRoute } from './observability/metrics.ts';
import { type ControlPlaneTracing, traceRequests, tracingClientInterceptors } from './observability/tracing.ts';
import { registerGraphqlLimits } from './protection/graphql-limits.ts';
import { compileProtection, type ProtectionOptions } from './protection/protection-options.ts';
import { registerRateLimits } from './protection/rate-limits.ts';
import { registerSecurityHeaders } from './protection/security-headers.ts';
import { registerRunExportRoutes } from './runs/export/export-route.ts';
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
  /** TLS / mTLS to Temporal (FLOWFORGE_TEMPORAL_TLS*); plain gRPC by default. */
  temporalTls?: TemporalTls | false;
  namespace?: string;
  /** FLOWFORGE_HOME: keys (and, via main.ts, the CLI config) live here. */
  home: string;
  /** Where runs are started; workers listen on it. */
  taskQueue?: string;
  runSigningPrivateKeyPem?: string | undefined;
  /**
   * The control plane's own node types; the built-in node types by default. Workflows may also use
   * the types the task queue's workers offer (see `nodeTypes`).
   */
  registry?: DescriptorRegistry;
  /** How the workers' node types are learnt: answers are kept `cacheSeconds` (15), awaited `answerTimeoutMs` (5000). */
  nodeTypes?: { cacheSeconds?: number; answerTimeoutMs?: number };
  /** Where credential values live. Default: encrypted in PostgreSQL with the key ring in `home` (or FLOWFORGE_ENCRYPTION_KEY). */
  secrets?: SecretsConfig;
  /** The credential types values are checked against; the built-in ones by default. */
  credentialTypes?: CredentialTypeRegistry;
  /** FLOWFORGE_WORKER_TOKEN; default `$home/keys/worker-token` (made on first start). */
  workerToken?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** The artefact directory the workers use too (FLOWFORGE_ARTIFACTS_DIR); default `<home>/artifacts`. */
  artifactsDir?: string;
  /** Bytes a webhook request body may have (FLOWFORGE_WEBHOOK_BODY_LIMIT); default 16 MiB. */
  webhookBodyLimit?: number;
  /** UI sign-in: session lifetimes, cookie Secure, OIDC (off when unset). */
  auth?: AuthSettings;
  /** Traces (startControlPlaneTracing(env)); without it nothing of OpenTelemetry is registered. */
  tracing?: ControlPlaneTracing | undefined;
  /** FLOWFORGE_METRICS_TOKEN: a bearer token GET /metrics asks for; absent: /metrics is open, like /healthz. */
  metricsToken?: string | undefined;
  /** Rate limits, GraphQL depth and cost, CORS, production mode (FLOWFORGE_MODE and friends, see config.ts). */
  protection?: ProtectionOptions;
}

export interface FlowForgeApp {
  services: ControlPlaneServices;
  signingKeys: RunSigningKeys;
  temporalConnection: Connection;
  /** main.ts drains /readyz on SIGTERM before it closes. */
  health: HealthRoutes;
  /** Every route, as `METHOD url`: the authentication test checks each one has a rule. */
  routes: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    flowforge: FlowForgeApp;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** A push that names a type only workers define waits at most this long for their answer. */
const DEFAULT_ANSWER_TIMEOUT_MS = 5000;
/** Long enough that a push, its start and a catalogue listing ask once; short enough that a new worker shows soon. */
const DEFAULT_CACHE_SECONDS = 15;

/**
 * The control plane as a Fastify app (not listening yet): GraphQL at /graphql behind API keys,
 * liveness at /healthz, readiness at /readyz. Creates the default workspace/project and the run signing keys when missing.
 * Temporal is connected lazily, so the app starts (and /healthz says so) while Temporal is down.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const prisma = createPrisma(options.databaseUrl);
  const temporalConnection = Connection.lazy({ address: options.temporalAddress, tls: options.temporalTls ?? false });
  // Health checks say what they see now: no retry interceptor (its retries would outlive the check).
  const healthConnection = Connection.lazy({
    address: options.temporalAddress,
    tls: options.temporalTls ?? false,
    interceptors: [],
  });
  try {
    // The worker token before the signing keys: a worker that found the public key finds the token too.
    const workerToken = loadWorkerToken({ home: options.home, fromEnv: options.workerToken });
    const signingKeys = loadRunSigningKeys({ home: options.home, privateKeyPem: options.runSigningPrivateKeyPem });
    const backend = createSecretBackend(
      options.secrets ?? { backend: 'local', encryptionKey: undefined },
      options.home,
    );
    await backend.check();
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
    const temporal = new Client({
      connection: temporalConnection,
      namespace: options.namespace ?? 'default',
      ...(options.tracing ? { interceptors: tracingClientInterceptors(options.tracing) } : {}),
    });
    const log = { warn: (...args: Parameters<FastifyInstance['log']['warn']>) => app.log.warn(...args) };
    const answerTimeoutMs = options.nodeTypes?.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    const taskQueue = options.taskQueue ?? 'flowforge';
    const signingKey = signingKeys.privateKey;
    const services: ControlPlaneServices = {
      prisma,
      temporal,
      registry,
      nodeTypes: new WorkerNodeTypes({
        ask: (taskQueue) => askWorkers({ temporal, answerTimeoutMs, log }, taskQueue),
        cacheMs: (options.nodeTypes?.cacheSeconds ?? DEFAULT_CACHE_SECONDS) * 1000,
      }),
      projectId,
      taskQueue,
      signingKey,
      webhooks: new WebhookRouter({ prisma, registry, projectId }),
      artifacts: new FileArtifactStore(options.artifactsDir ?? join(options.home, 'artifacts')),
      credentials: { backend, types: options.credentialTypes ?? builtinCredentialRegistry, workerToken },
      schedules: new TemporalSchedules({ prisma, temporal, projectId, registry, taskQueue, signingKey }),
    };
    const protection = compileProtection(options.protection);
    const app = Fastify({ logger: options.logger ?? false, bodyLimit: MAX_BODY_BYTES, ...requestIdOptions });
    const runEvents = new RunEventBus(options.databaseUrl);
    const routes: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    });
    const health = registerHealthRoutes(app, {
      prisma,
      temporal: healthConnection,
      temporalAddress: options.temporalAddress,
    });
    app.decorate('flowforge', { services, signingKeys, temporalConnection, health, routes });
    echoRequestIds(app);
    registerMetricsRoute(app, { temporal, taskQueue, token: options.metricsToken });
    app.addHook('onClose', async () => {
      await Promise.allSettled([
        runEvents.close(),
        prisma.$disconnect(),
        temporalConnection.close(),
        healthConnection.close(),
      ]);
    });
    if (options.tracing) traceRequests(app, options.tracing);
    registerJsonBodyParser(app);
    const sessions = await registerAuth(app, prisma, options.auth);
    // Routes outside GraphQL (resume webhooks, approval links) answer `{ error }` with the code's status.
    app.setErrorHandler((raw, request, reply) => {
      const error = isDatabaseUnreachable(raw)
        ? databaseUnavailable(raw)
        : raw instanceof FlowForgeError
          ? raw
          : frameworkRequestError(raw);
      if (error) {
        const status = requestStatusOf(error) ?? httpStatusOf(error.code);
        return reply.status(status).send({ error: serializeError(error) });
      }
      request.log.error({ err: raw }, 'unexpected error');
      return reply.status(500).send({
        error: {
          code: 'FF_INTERNAL',
          message: 'internal error',
          retryable: false,
          hint: 'this is a FlowForge bug: the control plane log has the details',
        },
      });
    });

    registerRequestContext(app);
    await registerSecurityHeaders(app, protection);
    const rateLimits = protection.rateLimit ? await registerRateLimits(app, protection.rateLimit) : undefined;

    // Every GraphQL call needs an API key or a UI session (with its CSRF header). Checked before Mercurius
    // parses anything. A subscription's WebSocket shows its key in graphql-ws's connection_init instead
    // (events/subscriptions.ts).
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url !== '/graphql' || request.headers.upgrade?.toLowerCase() === 'websocket') return;
      try {
        request.principal = await sessions.authenticate(request);
      } catch (error) {
        if (!(error instanceof FlowForgeError)) throw error;
        const { code, hint } = serializeError(error);
        return reply
          .status(httpStatusOf(error.code))
          .send({ data: null, errors: [{ message: error.message, extensions: { code, hint } }] });
      }
    });
    rateLimits?.afterAuthentication();
    const graphql: MercuriusOptions = {
      schema,
      queryDepth: protection.graphql.maxDepth,
      resolvers: {
        ...workflowResolvers.types,
        ...runResolvers.types,
        Workflow: { ...workflowResolvers.types.Workflow, ...versionResolvers.types.Workflow },
        JSON: JSONScalar,
        Query: {
          ...workflowResolvers.Query,
          ...runResolvers.Query,
          ...approvalResolvers.Query,
          ...nodeTypeResolvers.Query,
          ...credentialResolvers.Query,
          ...scheduleResolvers.Query,
          ...versionResolvers.Query,
          ...auditResolvers.Query,
        },
        Mutation: {
          ...workflowResolvers.Mutation,
          ...runResolvers.Mutation,
          ...approvalResolvers.Mutation,
          ...activationResolvers.Mutation,
          ...credentialResolvers.Mutation,
          ...scheduleResolvers.Mutation,
          ...versionResolvers.Mutation,
        },
        Subscription: subscriptionResolvers(runEvents),
      },
      // graphql-ws (and the older subscriptions-transport-ws) on /graphql, for subscriptions only:
      // queries and mutations stay on HTTP, behind its limits and hooks (fullWsTransport off).
      subscription: { onConnect: subscriptionOnConnect(services), keepAlive: 30_000 },
      loaders: runLoaders,
      context: (request) => ({ principal: request.principal as Principal, services }),
      errorFormatter,
      graphiql: false,
    };
    await app.register(mercurius, graphql);
    app.graphql.extendSchema(userSchema);
    app.graphql.defineResolvers(userResolvers);
    app.graphql.addHook('preParsing', async (_schema, source) => checkQueryText(source));
    registerGraphqlLimits(app, protection);

    await registerApprovalLinkRoutes(app, services);
    await registerResumeRoutes(app, services);
    await registerWebhookRoutes(app, services, {
      router: services.webhooks,
      bodyLimit: options.webhookBodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT,
    });
    await registerCredentialRoutes(app, services);
    await registerRunEventRoutes(app, { bus: runEvents, workerToken });
    await registerRunExportRoutes(app, services);
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
