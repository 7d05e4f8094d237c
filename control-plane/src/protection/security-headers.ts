import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { CompiledProtection } from './protection-options.ts';

/**
 * Helmet's headers on every answer (its default Content-Security-Policy allows same-origin scripts
 * and styles, which a built UI served at / needs, and nothing inline but styles; JSON answers are
 * unaffected). CORS only for the origins in FLOWFORGE_CORS_ORIGINS: without any, no CORS header is
 * sent and browsers keep other sites' pages from reading the API (same-origin only).
 */
export async function registerSecurityHeaders(app: FastifyInstance, protection: CompiledProtection): Promise<void> {
  await app.register(helmet, { global: true });
  if (protection.corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...protection.corsOrigins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
}
