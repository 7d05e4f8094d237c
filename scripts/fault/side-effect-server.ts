import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SideEffectServerOptions {
  /** How long the first request with a key takes to answer: long enough to be caught in flight. */
  answerAfterMs: number;
}

/**
 * A slow payment-like API on 127.0.0.1 that honours `Idempotency-Key`, as Stripe does: the first
 * request with a key applies its side effect at once and answers after `answerAfterMs`; a repeat
 * applies nothing and gets the first answer (waiting for it if the first is still in progress).
 * It counts both, so a test can say "applied exactly once, N repeats deduped".
 */
export interface SideEffectServer {
  url: string;
  /** Side effects applied, per key: exactly-once means every value is 1. */
  readonly applied: ReadonlyMap<string, number>;
  /** Requests that repeated a key already seen (deduped: no side effect). */
  readonly repeats: ReadonlyMap<string, number>;
  /** Requests without an Idempotency-Key (each one would apply a side effect: none are expected). */
  readonly unkeyed: number;
  /** First requests whose connection closed before the answer was sent (the worker died mid-call). */
  readonly abandoned: number;
  stop(): Promise<void>;
}

interface Answer {
  key: string;
  sequence: number;
}

export async function startSideEffectServer(options: SideEffectServerOptions): Promise<SideEffectServer> {
  const applied = new Map<string, number>();
  const repeats = new Map<string, number>();
  const answers = new Map<string, Promise<Answer>>();
  let sequence = 0;
  let unkeyed = 0;
  let abandoned = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for await (const _ of request) {
      // The body is not needed: drain it so the answer can be sent.
    }
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') {
      unkeyed += 1;
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"Idempotency-Key required"}');
      return;
    }
    let answer = answers.get(key);
    if (answer) {
      repeats.set(key, (repeats.get(key) ?? 0) + 1);
    } else {
      // The side effect happens on arrival, before the slow part: a caller killed while waiting
      // for the answer has had its effect applied, which is what makes the retry dangerous.
      applied.set(key, (applied.get(key) ?? 0) + 1);
      const first = { key, sequence: ++sequence };
      answer = new Promise((resolve) => setTimeout(() => resolve(first), options.answerAfterMs));
      answers.set(key, answer);
      response.once('close', () => {
        if (!response.writableFinished) abandoned += 1;
      });
    }
    const body = JSON.stringify(await answer);
    if (!response.destroyed) response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }

  const server = createServer((request, response) => void handle(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    applied,
    repeats,
    get unkeyed() {
      return unkeyed;
    },
    get abandoned() {
      return abandoned;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
