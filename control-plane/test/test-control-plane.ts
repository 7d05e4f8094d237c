/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type AppOptions, buildApp } from '../src/app.ts';
import { createApiKey } from '../src/auth/api-keys.ts';

export interface TestControlPlane {
  app: FastifyInstance;
  apiKey: string;
  home: string;
  databaseUrl: string;
  taskQueue: string;
  options: AppOptions;
  /** POST /graphql with the API key (or `auth` instead); returns status and body. */
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    auth?: string | null,
  ): Promise<{ status: number; body: GraphQLBody }>;
  close(): Promise<void>;
}

export interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary response shapes
  data: any;
  errors?: Array<{ message: string; extensions: Record<string, unknown> & { code: string } }>;
}

/**
 * A control plane on a fresh home and a unique task queue (no worker listens on it), on a fresh
 * database unless `overrides.databaseUrl` shares one (creating one takes seconds: migrations).
 */
export async function startTestControlPlane(overrides: Partial<AppOptions> = {}): Promise<TestControlPlane> {
  const databaseUrl = overrides.databaseUrl ?? (await createTestDatabase(inject('postgresUrl')));
  const home = mkdtempSync(join(tmpdir(), 'flowforge-cp-'));
  const taskQueue = uniqueName('cp-test');
  const options: AppOptions = {
    temporalAddress: inject('temporalAddress'),
    home,
    taskQueue,
    ...overrides,
    databaseUrl,
  };
  const app = await buildApp(options);
  const { key } = await createApiKey(app.flowforge.services.prisma, 'test');
  return {
    app,
    apiKey: key,
    home,
    databaseUrl,
    taskQueue,
    options,
    async graphql(query, variables = {}, auth) {
      const authorization = auth === undefined ? `Bearer ${key}` : auth;
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: authorization === null ? {} : { authorization },
        payload: { query, variables },
      });
      return { status: response.statusCode, body: response.json() as GraphQLBody };
    },
    async close() {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function helloDefinition(greeting = '=Hello, {{ $json.name }}!', name = uniqueName('hello')) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'greet', type: 'core.set', params: { values: { greeting } } },
    ],
    edges: [{ from: 'start', to: 'greet' }],
  };
}
