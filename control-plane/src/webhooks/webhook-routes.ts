import {
  durationToMs,
  FlowForgeError,
  type Item,
  indexLoopGraph,
  serializeError,
  type WebhookResponse,
} from '@flowforge/connectors-sdk';
import { storeRunInputIfLarge } from '@flowforge/connectors-sdk/artifacts';
import {
  type ArtifactRef,
  inlineItems,
  isArtifactRef,
  RUN_DAG_WORKFLOW,
  RunDagResultSchema,
  WEBHOOK_RESPONSE_UPDATE,
  WebhookAnswerSchema,
} from '@flowforge/connectors-sdk/contract';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { type LaunchRunInput, launchRun, type RunStart } from '../runs/start-run.ts';
import { WebhookAuthenticator } from './webhook-auth.ts';
import { parseWebhookBody, webhookItem } from './webhook-request.ts';
import type { ActiveWebhook, WebhookRouter } from './webhook-router.ts';

export const DEFAULT_WEBHOOK_BODY_LIMIT = 16 * 1024 * 1024;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const RUN_ID_HEADER = 'x-flowforge-run-id';

export interface WebhookRouteOptions {
  router: WebhookRouter;
  bodyLimit: number;
}

/**
 * `/webhook/<path>` for every active trigger.webhook: each request starts a run of the active
 * version with the request as its trigger item, then answers as the trigger's `respond` says. Bad
 * requests get a 4xx and start nothing; no answer claims a run Temporal has not accepted.
 */
export async function registerWebhookRoutes(
  app: FastifyInstance,
  services: ControlPlaneServices,
  options: WebhookRouteOptions,
): Promise<void> {
  await app.register(async (scope) => {
    // Every body is read as bytes (an HMAC signature is over the raw body) and parsed once the
    // caller is authenticated (webhook-request.ts).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const auth = new WebhookAuthenticator({
      prisma: services.prisma,
      projectId: services.projectId,
      backend: services.credentials.backend,
    });
    scope.setErrorHandler((error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (error instanceof FlowForgeError) return sendError(reply, status === 500 ? 400 : status, error);
      if (status >= 500) {
        reply.log.error({ err: error }, 'webhook request failed');
        return sendError(reply, 500, new FlowForgeError('FF_INTERNAL', 'the webhook could not be answered'));
      }
      const hint =
        status === 413 ? `send at most ${options.bodyLimit} bytes` : 'fix the request body and send it again';
      return sendError(reply, status, new FlowForgeError('FF_BAD_INPUT', (error as Error).message, { hint }));
    });
    scope.route<{ Params: { '*': string } }>({
      method: [...METHODS],
      url: '/webhook/*',
      bodyLimit: options.bodyLimit,
      handler: (request, reply) => answer(services, options.router, auth, request, reply),
    });
  });
}

async function answer(
  services: ControlPlaneServices,
  router: WebhookRouter,
  auth: WebhookAuthenticator,
  request: FastifyRequest<{ Params: { '*': string } }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const path = request.params['*'].replace(/\/+$/, '');
  const match = await router.match(request.method, path);
  if (match.kind === 'none') {
    return sendError(
      reply,
      404,
      new FlowForgeError('FF_NOT_FOUND', `no active workflow answers ${request.method} /webhook/${path}`, {
        hint: 'check the path; a workflow answers its webhooks only while a version of it is active (flowforge workflow activate)',
      }),
    );
  }
  if (match.kind === 'wrong-method') {
    reply.header('allow', match.allowed.join(', '));
    return sendError(
      reply,
      405,
      new FlowForgeError('FF_BAD_INPUT', `/webhook/${path} answers ${match.allowed.join(', ')}, not ${request.method}`),
    );
  }
  const { webhook, params } = match;
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (!(await auth.allows(webhook.route.auth, request, raw))) {
    if (webhook.route.auth.type === 'basic')
      reply.header('www-authenticate', 'Basic realm="flowforge", charset="UTF-8"');
    return sendError(reply, 401, new FlowForgeError('FF_UNAUTHENTICATED', 'the request is not authenticated'));
  }
  const body = parseWebhookBody(request.headers['content-type'], raw);
  const secretHeader = await auth.secretHeader(webhook.route.auth);
  const run: LaunchRunInput = {
    workflow: webhook.workflow,
    version: webhook.version,
    input: await storeRunInputIfLarge(services.artifacts, webhookItem(request, params, body, secretHeader)),
    trigger: { kind: 'webhook', by: `webhook:${request.method} /webhook/${webhook.route.path}` },
    recordInBackground: true,
  };
  const actor = `webhook:${webhook.workflow}`;
  if (webhook.route.respond === 'responseNode') {
    let answer: Promise<Outcome> = Promise.resolve({ kind: 'timeout' });
    const started = await launchRun(services, run, actor, async (start) => {
      ({ answer } = await startWithResponseUpdate(services, webhook, start));
    });
    reply.header(RUN_ID_HEADER, started.runId);
    return answerWithResponseNode(reply, started.runId, await answer);
  }
  const started = await launchRun(services, run, actor);
  reply.header(RUN_ID_HEADER, started.runId);
  switch (webhook.route.respond) {
    case 'immediately':
      return reply.status(202).send({ runId: started.runId });
    case 'lastNode':
      return answerWithLastNode(services, webhook, started.runId, reply);
    default: {
      const unknown: never = webhook.route.respond;
      throw new Error(`unknown respond mode ${String(unknown)}`);
    }
  }
}

/**
 * Starts the run together with its `webhookResponse` update (update-with-start): the update is in
 * the run's first workflow task, so even a run that ends in that task answers it. Resolves with the
 * answer's outcome (a promise, wrapped: it settles later) once Temporal has the run; throws when
 * Temporal never took it.
 */
async function startWithResponseUpdate(
  services: ControlPlaneServices,
  webhook: ActiveWebhook,
  { runId, runInput, options }: RunStart,
): Promise<{ answer: Promise<Outcome> }> {
  const operation = new WithStartWorkflowOperation(RUN_DAG_WORKFLOW, {
    ...options,
    args: [runInput],
    workflowIdConflictPolicy: 'FAIL',
  });
  const answer = withTimeout(services, webhook, () =>
    services.temporal.workflow.executeUpdateWithStart(WEBHOOK_RESPONSE_UPDATE, { startWorkflowOperation: operation }),
  );
  const first = await Promise.race([operation.workflowHandle().then(() => 'started' as const), answer]);
  if (first !== 'started' && first.kind !== 'done' && !(await exists(services, runId))) {
    throw first.kind === 'failed' ? first.error : new Error('Temporal did not answer the start in time');
  }
  return { answer };
}

async function exists(services: ControlPlaneServices, runId: string): Promise<boolean> {
  try {
    await services.temporal.workflow.getHandle(runId).describe();
    return true;
  } catch {
    return false;
  }
}

/** The first item of the last node that ran (the last sink, in graph order, that gave items). */
async function answerWithLastNode(
  services: ControlPlaneServices,
  webhook: ActiveWebhook,
  runId: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const handle = services.temporal.workflow.getHandle(runId);
  const outcome = await withTimeout(services, webhook, () => handle.result());
  if (outcome.kind === 'timeout') return reply.status(202).send({ runId, status: 'RUNNING' });
  if (outcome.kind === 'failed') return sendRunFailure(reply, runId, outcome.error);
  const result = RunDagResultSchema.parse(outcome.value);
  const order = indexLoopGraph(webhook.definition).order;
  for (const nodeId of [...order].reverse()) {
    for (const port of Object.values(result.outputs[nodeId] ?? {})) {
      const [first] = isArtifactRef(port) ? await storedItems(services, port) : inlineItems(port);
      if (first) return reply.status(200).send(first.json);
    }
  }
  return reply.status(200).send({});
}

/** A port's items the claim check stored (a JSON array of items, as the worker wrote it). */
async function storedItems(services: ControlPlaneServices, ref: ArtifactRef): Promise<Item[]> {
  return JSON.parse(Buffer.from(await services.artifacts.get(ref.$artifact)).toString('utf8')) as Item[];
}

/** What the run's first core.respondToWebhook node said (the `webhookResponse` update). */
function answerWithResponseNode(reply: FastifyReply, runId: string, outcome: Outcome): FastifyReply {
  if (outcome.kind === 'timeout') return reply.status(202).send({ runId, status: 'RUNNING' });
  if (outcome.kind === 'failed') return sendRunFailure(reply, runId, outcome.error);
  const answer = WebhookAnswerSchema.parse(outcome.value);
  if (answer.kind === 'response') return sendResponse(reply, answer.response);
  if (answer.status === 'COMPLETED') {
    return sendError(
      reply,
      500,
      new FlowForgeError('FF_VALIDATION', 'the run completed without reaching a core.respondToWebhook node', {
        hint: 'put a core.respondToWebhook node on every path, or set respond to "lastNode"',
      }),
      runId,
    );
  }
  return sendRunFailure(reply, runId, answer.error);
}

type Outcome = { kind: 'done'; value: unknown } | { kind: 'failed'; error: unknown } | { kind: 'timeout' };

/** `call` raced with the trigger's responseTimeout; the timer aborts the call's long poll. */
async function withTimeout(
  services: ControlPlaneServices,
  webhook: ActiveWebhook,
  call: () => Promise<unknown>,
): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), durationToMs(webhook.route.responseTimeout));
  try {
    return { kind: 'done', value: await services.temporal.withAbortSignal(controller.signal, call) };
  } catch (error) {
    return controller.signal.aborted ? { kind: 'timeout' } : { kind: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}

function sendResponse(reply: FastifyReply, response: WebhookResponse): FastifyReply {
  reply.status(response.status).headers(response.headers);
  switch (response.respondWith) {
    case 'noData':
      return reply.send();
    case 'text':
      return reply
        .type(reply.getHeader('content-type') ? String(reply.getHeader('content-type')) : 'text/plain; charset=utf-8')
        .send(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
    case 'json':
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(response.body ?? null));
    default: {
      const unknown: never = response.respondWith;
      throw new Error(`unknown respondWith ${String(unknown)}`);
    }
  }
}

/** A run that failed: 500 with its error's code and message (never its stack), and the run id. */
function sendRunFailure(reply: FastifyReply, runId: string, failure: unknown): FastifyReply {
  const cause = (failure as { cause?: { type?: string; message?: string }; code?: string; message?: string }) ?? {};
  const code = cause.cause?.type ?? cause.code ?? 'FF_INTERNAL';
  const message = cause.cause?.message ?? cause.message ?? 'the run failed';
  return reply.status(500).send({ error: { code: /^FF_[A-Z_]+$/.test(code) ? code : 'FF_INTERNAL', message }, runId });
}

function sendError(reply: FastifyReply, status: number, error: FlowForgeError, runId?: string): FastifyReply {
  const { code, message, hint } = serializeError(error);
  return reply
    .status(status)
    .send({ error: { code, message, ...(hint ? { hint } : {}) }, ...(runId ? { runId } : {}) });
}
