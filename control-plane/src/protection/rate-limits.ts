import rateLimit from '@fastify/rate-limit';
import { FlowForgeError, serializeError } from '@flowforge/connectors-sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompiledProtection } from './protection-options.ts';

type Limits = Exclude<CompiledProtection['rateLimit'], false>;
type Limiter = (request: FastifyRequest) => Promise<{ isAllowed: boolean; isExceeded: boolean; ttlInSeconds: number }>;

/** Load balancers poll these, and workers prove themselves with the worker token on the internal route. */
const UNLIMITED = /^\/(healthz|readyz|internal\/)/;

/**
 * Per-IP limits before authentication (every request but health and the internal worker route;
 * webhooks in a bucket of their own, larger: they are a workflow's public entry), then per-key
 * limits after it. Counters are in memory, per replica (@fastify/rate-limit's LRU store): no
 * database round trip on the hottest path, and a limit is a guard against floods, not a quota;
 * behind N replicas a client gets up to N times the limit. Call before the authentication hook;
 * `afterAuthentication` after it.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  limits: Limits,
): Promise<{ afterAuthentication(): void }> {
  await app.register(rateLimit, { global: false, timeWindow: limits.windowMs });
  const create = (max: number, prefix: string, keyOf: (request: FastifyRequest) => string) =>
    app.createRateLimit({ max, keyGenerator: (request) => `${prefix}:${keyOf(request)}` }) as unknown as Limiter;
  const perIp = create(limits.perIp, 'ip', (request) => request.ip);
  const webhookPerIp = create(limits.webhookPerIp, 'webhook-ip', (request) => request.ip);
  const perKey = create(limits.perKey, 'key', (request) => request.principal?.apiKeyId ?? request.ip);

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url ?? request.url;
    if (UNLIMITED.test(url)) return;
    const limiter = url.startsWith('/webhook/') ? webhookPerIp : perIp;
    return refuseWhenExceeded(await limiter(request), request, reply, 'this address');
  });
  return {
    afterAuthentication() {
      app.addHook('onRequest', async (request, reply) => {
        if (!request.principal) return;
        return refuseWhenExceeded(await perKey(request), request, reply, `API key "${request.principal.name}"`);
      });
    },
  };
}

function refuseWhenExceeded(
  result: Awaited<ReturnType<Limiter>>,
  request: FastifyRequest,
  reply: FastifyReply,
  who: string,
): FastifyReply | undefined {
  if (result.isAllowed || !result.isExceeded) return undefined;
  const error = new FlowForgeError('FF_RATE_LIMITED', `too many requests from ${who}`, {
    retryable: true,
    hint: `wait ${result.ttlInSeconds} s (the Retry-After header) and send again; the limits are FLOWFORGE_RATE_LIMIT_*`,
  });
  const body = serializeError(error);
  reply.status(429).header('retry-after', String(result.ttlInSeconds));
  // GraphQL clients read errors[]; every other route answers { error }.
  return request.routeOptions.url === '/graphql'
    ? reply.send({ data: null, errors: [{ message: body.message, extensions: body }] })
    : reply.send({ error: body });
}
