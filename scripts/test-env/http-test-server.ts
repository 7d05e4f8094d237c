import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server for run tests (127.0.0.1, random port), with paths that behave on purpose:
 * - `/gate/<name>`: the answer waits until the test calls `release(name)` (a node that is
 *   "running" for exactly as long as the test wants, without timing guesses);
 * - `/fail-first/<name>?times=N`: the first N requests answer 500, later ones 200;
 * - anything else: 200 at once.
 * Every answer is `{ path, hit }` (the path's hit count). It counts hits per path and sees
 * requests the client gave up on (the connection closed before the answer).
 */
export interface HttpTestServer {
  url: string;
  hits(path: string): number;
  release(name: string): void;
  /** Resolves when a request for `path` has arrived (at once if one did). */
  arrived(path: string): Promise<void>;
  /** Resolves when a request for `path` was abandoned by the client before its answer. */
  aborted(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpTestServer(): Promise<HttpTestServer> {
  const hits = new Map<string, number>();
  const gates = new Map<string, { open: boolean; waiting: Array<() => void> }>();
  const events = new Map<string, { done: boolean; waiters: Array<() => void> }>();

  const eventOf = (key: string) => {
    const event = events.get(key) ?? { done: false, waiters: [] };
    events.set(key, event);
    return event;
  };
  const fire = (key: string) => {
    const event = eventOf(key);
    event.done = true;
    for (const resolve of event.waiters.splice(0)) resolve();
  };
  const when = (key: string) =>
    new Promise<void>((resolve) => {
      const event = eventOf(key);
      if (event.done) resolve();
      else event.waiters.push(resolve);
    });
  const gateOf = (name: string) => {
    const gate = gates.get(name) ?? { open: false, waiting: [] };
    gates.set(name, gate);
    return gate;
  };
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    fire(`arrived:${path}`);
    res.on('close', () => {
      if (!res.writableFinished) fire(`aborted:${path}`);
    });
    const [, kind, name = ''] = path.split('/');
    if (kind === 'gate') {
      const gate = gateOf(name);
      if (gate.open) answer(res, 200, { path, hit });
      else gate.waiting.push(() => answer(res, 200, { path, hit }));
      return;
    }
    if (kind === 'fail-first' && hit <= Number(url.searchParams.get('times') ?? 1)) {
      answer(res, 500, { path, hit, error: 'failing on purpose' });
      return;
    }
    answer(res, 200, { path, hit });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    hits: (path) => hits.get(path) ?? 0,
    release(name) {
      const gate = gateOf(name);
      gate.open = true;
      for (const send of gate.waiting.splice(0)) send();
    },
    arrived: (path) => when(`arrived:${path}`),
    aborted: (path) => when(`aborted:${path}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
