import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { isFlowForgeError } from '@flowforge/connectors-sdk';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../nodes/http-request.ts';

/** A real local server that fails with 503 until told it is healthy, and counts every request it sees. */
let server: Server;
let base: string;
let hits = 0;
let healthy = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    hits++;
    if (request.url === '/missing') return void response.writeHead(404).end('{}');
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ healthy }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Each test its own thresholds, so each gets its own breaker for the shared host. */
function call(path: string, failures: number, coolDown = '1s') {
  return runNodeForTest(httpRequest, {
    params: { url: `${base}${path}`, circuitBreaker: { failures, window: '60s', coolDown } },
  }).then(
    (result) => ({ ok: true as const, json: jsonOf(result) }),
    (error: unknown) => {
      if (!isFlowForgeError(error)) throw error;
      return { ok: false as const, code: error.code, retryable: error.retryable, message: error.message };
    },
  );
}

describe('http.request circuit breaker against a failing server', () => {
  it('fails fast without calling the host while open, then lets a probe through after the cool-down and closes', async () => {
    healthy = false;
    hits = 0;
    for (let i = 0; i < 3; i++) expect(await call('/', 3)).toMatchObject({ ok: false, code: 'FF_HTTP_STATUS' });
    expect(hits).toBe(3);

    for (let i = 0; i < 5; i++) {
      expect(await call('/', 3)).toMatchObject({ ok: false, code: 'FF_CIRCUIT_OPEN', retryable: true });
    }
    expect(hits).toBe(3);
    const open = await call('/', 3);
    expect(open.ok ? '' : open.message).toMatch(/^http\.request to 127\.0\.0\.1:\d+ fails fast/);

    healthy = true;
    await delay(1_100);
    expect(await call('/', 3)).toEqual({ ok: true, json: [{ healthy: true }] });
    expect(await call('/', 3)).toEqual({ ok: true, json: [{ healthy: true }] });
    expect(hits).toBe(5);
  });

  it('a failed probe opens the circuit again', async () => {
    healthy = false;
    hits = 0;
    for (let i = 0; i < 2; i++) await call('/', 2);
    await delay(1_100);
    expect(await call('/', 2)).toMatchObject({ ok: false, code: 'FF_HTTP_STATUS' });
    expect(await call('/', 2)).toMatchObject({ ok: false, code: 'FF_CIRCUIT_OPEN' });
    expect(hits).toBe(3);
  });

  it('answers that are the caller’s fault (404) never open the circuit', async () => {
    hits = 0;
    for (let i = 0; i < 6; i++) expect(await call('/missing', 4)).toMatchObject({ ok: false, code: 'FF_HTTP_STATUS' });
    expect(hits).toBe(6);
  });

  it('circuitBreaker: false calls the host every time', async () => {
    healthy = false;
    hits = 0;
    for (let i = 0; i < 4; i++) {
      await runNodeForTest(httpRequest, { params: { url: `${base}/`, circuitBreaker: false } }).catch(() => undefined);
    }
    expect(hits).toBe(4);
  });
});
