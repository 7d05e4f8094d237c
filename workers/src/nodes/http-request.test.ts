import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from './http-request.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const charges = new Map<string, { chargeId: string }>();
let chargeCount = 0;

/** A real HTTP server on 127.0.0.1 whose routes answer what each test needs. */
async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? '/', 'http://localhost');
  seen.push({
    method: request.method ?? '',
    url: request.url ?? '',
    headers: request.headers,
    body: Buffer.concat(chunks).toString(),
  });
  const send = (status: number, body: string, type = 'application/json') => {
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  };
  switch (url.pathname) {
    case '/order':
      return send(200, JSON.stringify({ id: url.searchParams.get('id'), status: 'paid' }));
    case '/orders':
      return send(200, JSON.stringify([{ id: 1 }, { id: 2 }]));
    case '/text':
      return send(200, 'plain words', 'text/plain');
    case '/report.pdf':
      response.writeHead(200, { 'content-type': 'application/pdf' });
      return void response.end(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]));
    case '/echo':
      return send(
        200,
        JSON.stringify({
          contentType: request.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    case '/charge': {
      // A payment API that honours Idempotency-Key: a repeated key gets the first answer, no second charge.
      const key = request.headers['idempotency-key'];
      const charge = typeof key === 'string' ? charges.get(key) : undefined;
      if (charge) return send(200, JSON.stringify(charge));
      const created = { chargeId: `ch-${++chargeCount}` };
      if (typeof key === 'string') charges.set(key, created);
      return send(201, JSON.stringify(created));
    }
    case '/no-content':
      response.writeHead(204);
      return void response.end();
    case '/html':
      return send(200, '<html>hi</html>', 'text/html');
    case '/slow':
      // Never answers within the test's timeout; closed when the server stops.
      return;
    default: {
      const status = Number(url.pathname.slice(1));
      return send(Number.isInteger(status) && status >= 400 ? status : 404, `{"error":"route ${url.pathname}"}`);
    }
  }
}

beforeAll(async () => {
  server = createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

describe('http.request', () => {
  it('GETs JSON with query parameters and outputs the object as an item', async () => {
    const result = await runNodeForTest(httpRequest, { params: { url: `${base}/order`, query: { id: 42 } } });
    expect(jsonOf(result)).toEqual([{ id: '42', status: 'paid' }]);
  });

  it('outputs a JSON array as one item per element', async () => {
    const result = await runNodeForTest(httpRequest, { params: { url: `${base}/orders` } });
    expect(jsonOf(result)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('runs once per input item with that item\u2019s parameters', async () => {
    const result = await runNodeForTest(httpRequest, {
      params: { url: `=${base}/order?id={{ $json.orderId }}` },
      items: [{ orderId: 'a' }, { orderId: 'b' }],
    });
    expect(jsonOf(result).map((json) => json.id)).toEqual(['a', 'b']);
  });

  it('reads text answers as { body }', async () => {
    const result = await runNodeForTest(httpRequest, { params: { url: `${base}/text`, responseType: 'text' } });
    expect(jsonOf(result)).toEqual([{ body: 'plain words' }]);
  });

  it('reads binary answers into binary.data with MIME type, size and file name', async () => {
    const result = await runNodeForTest(httpRequest, { params: { url: `${base}/report.pdf`, responseType: 'binary' } });
    const item = result.outputs.main?.[0];
    expect(item?.json).toEqual({ mimeType: 'application/pdf', fileSize: 6 });
    expect(item?.binary?.data).toEqual({
      data: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]).toString('base64'),
      mimeType: 'application/pdf',
      fileName: 'report.pdf',
    });
  });

  it('sends a JSON body by default and a form body when asked', async () => {
    const json = await runNodeForTest(httpRequest, {
      params: { method: 'POST', url: `${base}/echo`, body: { a: 1, b: 'x' } },
    });
    expect(jsonOf(json)).toEqual([{ contentType: 'application/json', body: '{"a":1,"b":"x"}' }]);
    const form = await runNodeForTest(httpRequest, {
      params: {
        method: 'POST',
        url: `${base}/echo`,
        body: { name: 'Ada Lovelace', tags: ['a', 'b'] },
        bodyType: 'form',
      },
    });
    expect(jsonOf(form)).toEqual([
      { contentType: 'application/x-www-form-urlencoded', body: 'name=Ada+Lovelace&tags=a&tags=b' },
    ]);
  });

  it('sends the given headers', async () => {
    seen.length = 0;
    await runNodeForTest(httpRequest, { params: { url: `${base}/orders`, headers: { 'x-api-key': 'k-123' } } });
    expect(seen[0]?.headers['x-api-key']).toBe('k-123');
  });

  it('sends no Idempotency-Key unless idempotent is true', async () => {
    seen.length = 0;
    await runNodeForTest(httpRequest, { params: { url: `${base}/orders` } });
    expect(seen[0]?.headers).not.toHaveProperty('idempotency-key');
  });

  it('with idempotent, a retry of the node sends the same Idempotency-Key and the server charges once', async () => {
    seen.length = 0;
    const execution = { runId: 'run-idem-1', nodeId: 'pay' };
    const params = { method: 'POST', url: `${base}/charge`, body: { amount: 5 }, idempotent: true };
    const first = await runNodeForTest(httpRequest, { ...execution, params });
    const retry = await runNodeForTest(httpRequest, { ...execution, params });
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual(['run-idem-1:pay', 'run-idem-1:pay']);
    expect(jsonOf(retry)).toEqual(jsonOf(first));
    const other = await runNodeForTest(httpRequest, { runId: 'run-idem-2', nodeId: 'pay', params });
    expect(jsonOf(other)).not.toEqual(jsonOf(first));
  });

  it('with idempotent and several items, each request gets a key of its own', async () => {
    seen.length = 0;
    await runNodeForTest(httpRequest, {
      runId: 'run-idem-3',
      nodeId: 'pay',
      params: { method: 'POST', url: `${base}/charge`, body: '={{ $json }}', idempotent: true },
      items: [{ amount: 1 }, { amount: 2 }],
    });
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual(['run-idem-3:pay:0', 'run-idem-3:pay:1']);
  });

  it('with idempotent, an Idempotency-Key set in headers is kept', async () => {
    seen.length = 0;
    await runNodeForTest(httpRequest, {
      params: { url: `${base}/orders`, headers: { 'Idempotency-Key': 'mine' }, idempotent: true },
    });
    expect(seen[0]?.headers['idempotency-key']).toBe('mine');
  });

  it('outputs status, headers and body with fullResponse', async () => {
    const result = await runNodeForTest(httpRequest, { params: { url: `${base}/order?id=7`, fullResponse: true } });
    const [json] = jsonOf(result);
    expect(json).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: { id: '7', status: 'paid' },
    });
  });

  it('outputs one empty item for an empty answer', async () => {
    const result = await runNodeForTest(httpRequest, { params: { method: 'DELETE', url: `${base}/no-content` } });
    expect(jsonOf(result)).toEqual([{}]);
  });

  it('fails a 404 with FF_HTTP_STATUS, not retryable, naming method, URL, status and body', async () => {
    await expect(
      runNodeForTest(httpRequest, { params: { url: `${base}/missing?key=secret-in-query` } }),
    ).rejects.toMatchObject({
      code: 'FF_HTTP_STATUS',
      retryable: false,
      details: { statusCode: 404 },
      message: `GET ${base}/missing answered 404 Not Found: {"error":"route /missing"}`,
    });
  });

  it('fails 503, 429 and 408 as retryable', async () => {
    for (const status of [503, 429, 408]) {
      await expect(runNodeForTest(httpRequest, { params: { url: `${base}/${status}` } })).rejects.toMatchObject({
        code: 'FF_HTTP_STATUS',
        retryable: true,
        details: { statusCode: status },
      });
    }
  });

  it('never puts header values in error messages', async () => {
    const error = await runNodeForTest(httpRequest, {
      params: { url: `${base}/401`, headers: { authorization: 'Bearer top-secret' } },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FF_HTTP_STATUS' });
    expect(JSON.stringify(error)).not.toContain('top-secret');
    expect(String((error as Error).message)).not.toContain('top-secret');
  });

  it('fails a refused connection with FF_HTTP_NETWORK, retryable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await expect(runNodeForTest(httpRequest, { params: { url: `http://127.0.0.1:${port}/` } })).rejects.toMatchObject({
      code: 'FF_HTTP_NETWORK',
      retryable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('fails with FF_HTTP_NETWORK when the answer takes longer than the timeout', async () => {
    await expect(
      runNodeForTest(httpRequest, { params: { url: `${base}/slow`, timeout: '200ms' } }),
    ).rejects.toMatchObject({ code: 'FF_HTTP_NETWORK', retryable: true, message: expect.stringContaining('200ms') });
  });

  it('gives up on a cancelled run without calling it a network error', async () => {
    const controller = new AbortController();
    const attempt = runNodeForTest(httpRequest, { params: { url: `${base}/slow` }, signal: controller.signal });
    controller.abort(new Error('run cancelled'));
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toMatchObject({ code: 'FF_HTTP_NETWORK' });
  });

  it('explains a JSON answer that is not JSON', async () => {
    await expect(runNodeForTest(httpRequest, { params: { url: `${base}/html` } })).rejects.toMatchObject({
      message: expect.stringContaining('not JSON'),
      hint: expect.stringContaining('responseType'),
    });
  });

  it('rejects a body on a GET and a URL that is not http(s)', async () => {
    await expect(
      runNodeForTest(httpRequest, { params: { url: `${base}/echo`, body: { a: 1 } } }),
    ).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
    await expect(runNodeForTest(httpRequest, { params: { url: 'file:///etc/passwd' } })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});
