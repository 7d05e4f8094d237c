import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialChannel } from './credential-channel.ts';

/** The worker's end of the channel against a local server standing in for the control plane's route. */

let server: Server;
let url: string;
const seen: Array<{ authorization: string | undefined; body: unknown }> = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    seen.push({ authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString()) });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

const request = {
  workflowId: 'run-1',
  executionRunId: 'e-1',
  activityId: 'call',
  nodeId: 'call',
  slot: 'httpBearerAuth',
};

describe('the credential channel', () => {
  it('posts what the activity is with the worker token and returns the value', async () => {
    answer = { status: 200, body: { name: 'github', type: 'httpBearerAuth', value: { token: 't' } } };
    const fetchCredential = createCredentialChannel({ url, token: 'w'.repeat(40) });
    expect(await fetchCredential(request)).toEqual({ token: 't' });
    expect(seen.at(-1)).toEqual({ authorization: `Bearer ${'w'.repeat(40)}`, body: request });
  });

  it('reads the token from the home file at first use, and says which file when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowforge-token-'));
    try {
      const file = join(dir, 'worker-token');
      const fetchCredential = createCredentialChannel({ url, token: { file } });
      await expect(fetchCredential(request)).rejects.toMatchObject({
        code: 'FF_CONFIG',
        message: expect.stringContaining(file),
      });
      writeFileSync(file, `${'f'.repeat(43)}\n`);
      answer = { status: 200, body: { name: 'n', type: 't', value: 1 } };
      expect(await fetchCredential(request)).toBe(1);
      expect(seen.at(-1)?.authorization).toBe(`Bearer ${'f'.repeat(43)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps refusals: 401 token, 403 refused, 404 gone are final; 503 and no answer are worth a retry', async () => {
    const fetchCredential = createCredentialChannel({ url, token: 'w'.repeat(40) });
    const cases = [
      [401, 'FF_UNAUTHENTICATED', false],
      [403, 'FF_FORBIDDEN', false],
      [404, 'FF_NOT_FOUND', false],
      [503, 'FF_UNAVAILABLE', true],
    ] as const;
    for (const [status, code, retryable] of cases) {
      answer = { status, body: { error: { code, message: 'credential refused: because' } } };
      await expect(fetchCredential(request)).rejects.toMatchObject({ code, retryable });
    }
    const closed = createCredentialChannel({ url: 'http://127.0.0.1:9', token: 'w'.repeat(40) });
    await expect(closed(request)).rejects.toMatchObject({ code: 'FF_UNAVAILABLE', retryable: true });
  });
});
