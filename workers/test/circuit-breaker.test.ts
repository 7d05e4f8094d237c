import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RUN_STATE_QUERY, type RunState } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  runFailure,
  startRun,
  withWorker,
} from './support/test-runs.ts';

/**
 * The http.request circuit breaker inside real runs: FF_CIRCUIT_OPEN is retryable, so the node's
 * Temporal retry policy carries it past the cool-down, and the open circuit spares the host.
 */

let env: EngineTestEnv;
let server: Server;
let base: string;
let hits = 0;
/** The server answers 503 until it has seen this many requests, then 200. */
let failFirst = 0;

beforeAll(async () => {
  env = await createEngineTestEnv();
  server = createServer((_request, response) => {
    hits++;
    const ok = hits > failFirst;
    response.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok, hit: hits }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await env?.close();
});

/** Each test a fresh host (a new port), so no breaker state leaks between tests. */
async function freshHost(): Promise<void> {
  server.closeAllConnections();
  server.close();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hits = 0;
}

function callNode(name: string, retry: Record<string, unknown>) {
  return dagOf(
    name,
    [
      {
        id: 'call',
        type: 'http.request',
        params: { url: `${base}/`, circuitBreaker: { failures: 2, window: '60s', coolDown: '2s' } },
        retry,
      },
    ],
    [{ from: 'start', to: 'call' }],
  );
}

describe('http.request circuit breaker in a run', () => {
  it('fails fast while open (the host sees no calls) and the retry policy carries the node to a probe that succeeds', async () => {
    await freshHost();
    failFirst = 2;
    const run = prepareRun(
      env,
      callNode('breaker-recovers', { maxAttempts: 30, initialInterval: '300ms', backoffCoefficient: 1 }),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      // Two failures opened the circuit; every attempt until the cool-down ended failed fast without
      // a request; the probe was the third and last request.
      expect(hits).toBe(3);
      expect(state.nodes.call).toMatchObject({
        status: 'succeeded',
        output: { main: [{ json: { ok: true, hit: 3 } }] },
      });
      expect(state.nodes.call?.attempts).toBeGreaterThan(3);
    });
  });

  it('a node without room to retry fails with FF_CIRCUIT_OPEN, retryable, naming the host', async () => {
    await freshHost();
    failFirst = 1_000;
    const run = prepareRun(env, callNode('breaker-open', { maxAttempts: 3, initialInterval: '100ms' }));
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await runFailure(handle);
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(hits).toBe(2);
      expect(state.nodes.call).toMatchObject({
        status: 'failed',
        attempts: 3,
        error: { code: 'FF_CIRCUIT_OPEN', retryable: true },
      });
      expect(state.nodes.call?.error?.message).toContain(`http.request to ${new URL(base).host} fails fast`);
    });
  });
});
