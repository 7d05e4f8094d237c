import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { FlowForgeError, type WebhookRoute } from '@flowforge/connectors-sdk';
import type { HttpBasicAuth, HttpHeaderAuth, WebhookHmacSecret } from '@flowforge/connectors-sdk/builtin';
import type { FastifyRequest } from 'fastify';
import type { SecretBackend } from '../credentials/secret-backend.ts';
import type { PrismaClient } from '../database.ts';

export type WebhookAuth = WebhookRoute['auth'];

/** The header an `hmac` webhook's callers sign with, and how far its timestamp may be from our clock. */
export const SIGNATURE_HEADER = 'x-flowforge-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Which credential type each auth type takes. */
export const AUTH_CREDENTIAL_TYPES = {
  header: 'httpHeaderAuth',
  basic: 'httpBasicAuth',
  hmac: 'webhookHmacSecret',
} as const;

/** A changed or deleted credential takes effect within this long. */
const CACHE_MS = 5_000;

interface Deps {
  prisma: PrismaClient;
  projectId: string;
  backend: SecretBackend;
}

/**
 * Checks webhook requests against their trigger's `auth`. A request that fails gets no hint of
 * which part was wrong (the route answers 401 alone); neither does one whose credential is gone or
 * of another type (that is logged for the operator, once per lookup). Values are compared in
 * constant time and kept in memory for a few seconds, so a request costs no database read.
 */
export class WebhookAuthenticator {
  private readonly deps: Deps;
  private readonly cache = new Map<string, { value: Promise<unknown>; at: number }>();

  constructor(deps: Deps) {
    this.deps = deps;
  }

  async allows(auth: WebhookAuth, request: FastifyRequest, rawBody: Buffer): Promise<boolean> {
    if (auth.type === 'none') return true;
    const value = await this.credential(auth.credential as string, AUTH_CREDENTIAL_TYPES[auth.type]);
    if (value === undefined) return false;
    switch (auth.type) {
      case 'header': {
        const { name, value: expected } = value as HttpHeaderAuth;
        return sameSecret(headerOf(request, name.toLowerCase()), expected);
      }
      case 'basic': {
        const { user, password } = value as HttpBasicAuth;
        const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
        return sameSecret(headerOf(request, 'authorization'), expected);
      }
      case 'hmac':
        return validSignature(headerOf(request, SIGNATURE_HEADER), rawBody, (value as WebhookHmacSecret).secret);
      default: {
        const unknown: never = auth.type;
        throw new Error(`unknown webhook auth ${String(unknown)}`);
      }
    }
  }

  /** The header a caller authenticates with, left out of the run's trigger item. */
  secretHeader(auth: WebhookAuth): Promise<string | undefined> {
    if (auth.type !== 'header') return Promise.resolve(undefined);
    return this.credential(auth.credential as string, 'httpHeaderAuth').then((value) =>
      value === undefined ? undefined : (value as HttpHeaderAuth).name,
    );
  }

  private credential(name: string, type: string): Promise<unknown> {
    const cached = this.cache.get(name);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
    const value = this.load(name, type);
    this.cache.set(name, { value, at: Date.now() });
    value.catch(() => this.cache.delete(name));
    return value;
  }

  private async load(name: string, type: string): Promise<unknown> {
    const { prisma, projectId, backend } = this.deps;
    const row = await prisma.credential.findUnique({ where: { projectId_name: { projectId, name } } });
    if (!row || row.type !== type) return undefined;
    return backend.load(row);
  }
}

/**
 * Refuses an activation whose webhooks name a credential that does not exist or is of the wrong
 * type: else every call would be answered 401 and nobody would know why.
 */
export async function checkWebhookCredentials(
  deps: Pick<Deps, 'prisma' | 'projectId'>,
  webhooks: ReadonlyArray<WebhookRoute & { nodeId: string }>,
): Promise<void> {
  for (const { auth, nodeId } of webhooks) {
    if (auth.type === 'none') continue;
    const name = auth.credential as string;
    const type = AUTH_CREDENTIAL_TYPES[auth.type];
    const row = await deps.prisma.credential.findUnique({
      where: { projectId_name: { projectId: deps.projectId, name } },
    });
    const where = `node "${nodeId}" (trigger.webhook, auth "${auth.type}") names credential "${name}"`;
    if (!row) {
      throw new FlowForgeError('FF_NOT_FOUND', `${where}, which does not exist`, {
        path: ['nodes', nodeId, 'params', 'auth', 'credential'],
        hint: `set it first: flowforge credentials set ${name} --type ${type} < value.json`,
      });
    }
    if (row.type !== type) {
      throw new FlowForgeError(
        'FF_VALIDATION',
        `${where}, which is a ${row.type}; auth "${auth.type}" takes a ${type}`,
        {
          path: ['nodes', nodeId, 'params', 'auth', 'credential'],
          hint: `name a ${type} credential, or set one: flowforge credentials set <name> --type ${type}`,
        },
      );
    }
  }
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`: any v1 may match (a caller rotating secrets sends two). */
function validSignature(header: string | undefined, rawBody: Buffer, secret: string): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return parts.filter(([key]) => key === 'v1').some(([, signature]) => sameSecret(signature, expected));
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
