import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunEvent } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunEventChannel } from './run-event-channel.ts';

const event = (nodeId: string): RunEvent => ({
  runId: 'run-1',
  event: 'node.started',
  nodeId,
  at: new Date().toISOString(),
});

let server: Server;
let url: string;
const batches: Array<{ authorization: string | undefined; events: RunEvent[] }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      batches.push({ authorization: request.headers.authorization, events: JSON.parse(body).events });
      response.writeHead(202).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RunEventChannel', () => {
  it('carries the events pushed in one turn in one POST with the worker token, in order', async () => {
    batches.length = 0;
    const channel = new RunEventChannel({ controlPlane: { url, token: 'the-worker-token' } });
    for (const id of ['a', 'b', 'c']) channel.push(event(id));
    await channel.flush();
    expect(batches).toEqual([
      { authorization: 'Bearer the-worker-token', events: [event('a'), event('b'), event('c')].map(withAnyAt) },
    ]);
  });

  it('never waits for a control plane that is not there: push returns at once, the events are dropped and said so', async () => {
    const warnings: string[] = [];
    // A port nothing listens on (the server above, closed for this test, would do too).
    const channel = new RunEventChannel({
      controlPlane: { url: 'http://127.0.0.1:9', token: 'x' },
      maxQueued: 100,
      warn: (message) => warnings.push(message),
    });
    // push is a synchronous append (it returns nothing to wait for); past maxQueued it drops.
    for (let index = 0; index < 1_000; index++) expect(channel.push(event(`n${index}`))).toBeUndefined();
    await channel.flush();
    expect(warnings.join('\n')).toMatch(/run event\(s\) could not reach the control plane .* dropped/);
  });
});

function withAnyAt(value: RunEvent): RunEvent {
  return { ...value, at: expect.any(String) as unknown as string };
}
