import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

export type ControlPlaneLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** An id a caller (a proxy, the CLI) passed on: kept when it is short and plain, so it cannot forge log fields. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Fastify's logger is pino: JSON lines on stdout at FLOWFORGE_LOG_LEVEL, every line of a request
 * with its `reqId`. A request is logged by method and a redacted URL only: the path segment after
 * /approvals/ and /webhook/resume/ is a bearer token (a signed link), and a query string may hold
 * anything a caller put there. Headers and bodies are never logged.
 */
export function controlPlaneLoggerOptions(level: ControlPlaneLogLevel): FastifyServerOptions['logger'] {
  return {
    level,
    base: { service: 'flowforge-control-plane' },
    serializers: {
      req: (request: { method?: string; url?: string; ip?: string }) => ({
        method: request.method,
        url: redactedUrl(request.url ?? ''),
        remoteAddress: request.ip,
      }),
    },
  };
}

/** The caller's x-request-id when it is plain, else a new UUID; answered back in x-request-id. */
export const requestIdOptions: Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader'> = {
  requestIdHeader: false,
  genReqId: (request: IncomingMessage) => {
    const given = request.headers[REQUEST_ID_HEADER];
    return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
  },
};

export function echoRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}

const TOKEN_IN_PATH = /^(\/approvals\/|\/webhook\/resume\/)[^?]*/;

export function redactedUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const redactedPath = path.replace(TOKEN_IN_PATH, '$1[redacted]');
  return query === undefined ? redactedPath : `${redactedPath}?[redacted]`;
}
