import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isArtifactRef,
  type PortOutput,
  RUN_STATE_QUERY,
  type RunDagResult,
  type RunState,
} from '@flowforge/connectors-sdk/contract';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayRun } from './support/history-replay.ts';
import { loopHistoriesDir, itemsOf as loopItemsOf, source } from './support/loop-dags.ts';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  startRun,
  withWorker,
} from './support/test-runs.ts';

let env: EngineTestEnv;
let server: Server;
let base: string;
const keys: string[] = [];

beforeAll(async () => {
  env = await createEngineTestEnv();
  server = createServer((request, response) => {
    keys.push(String(request.headers['idempotency-key']));
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await env?.close();
});

const historiesDir = loopHistoriesDir;
const replays = (handle: WorkflowHandle, name: string) => replayRun(env, handle, historiesDir, name);
const itemsOf = (output: PortOutput | undefined) => loopItemsOf(output, env.artifactsDir);

/** Every execution of a run, first to last (each but the last ended by continue-as-new), measured. */
async function executionHistories(workflowId: string, firstRunId: string) {
  const histories: Array<{ events: number; bytes: number; inputBytes: number }> = [];
  for (let runId: string | undefined = firstRunId; runId !== undefined; ) {
    const history: { events?: unknown[] | null } = await env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = (history.events ?? []) as Array<{
      workflowExecutionStartedEventAttributes?: { input?: unknown } | null;
      workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string | null } | null;
    }>;
    histories.push({
      events: events.length,
      bytes: Buffer.byteLength(JSON.stringify(history)),
      inputBytes: Buffer.byteLength(JSON.stringify(events[0]?.workflowExecutionStartedEventAttributes?.input ?? null)),
    });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

describe('core.loop', () => {
  it(
    'loops over 10,000 items in batches of 10, in order, continuing as new with a bounded history',
    async () => {
      const count = 10_000;
      const run = prepareRun(
        env,
        dagOf(
          'loop-10000',
          [
            {
              id: 'numbers',
              type: 'core.code',
              params: { mode: 'allItems', code: `return Array.from({ length: ${count} }, (_, n) => ({ n }));` },
            },
            { id: 'loop', type: 'core.loop', params: { batchSize: 10 } },
            { id: 'double', type: 'core.set', params: { values: { doubled: '={{ $json.n * 2 }}' } } },
            { id: 'after', type: 'core.noop' },
          ],
          [
            { from: 'start', to: 'numbers' },
            { from: 'numbers', to: 'loop' },
            { from: 'loop', fromPort: 'loop', to: 'double' },
            { from: 'double', to: 'loop' },
            { from: 'loop', fromPort: 'done', to: 'after' },
          ],
        ),
      );
      await withWorker(
        env,
        async (taskQueue) => {
          const began = Date.now();
          const handle = await startRun(env, run, taskQueue);
          const result = (await handle.result()) as RunDagResult;
          const seconds = (Date.now() - began) / 1000;

          const done = await itemsOf(result.outputs.after?.main);
          expect(done).toHaveLength(count);
          expect(done.every((json, n) => JSON.stringify(json) === JSON.stringify({ n, doubled: n * 2 }))).toBe(true);

          const state = await handle.query<RunState>(RUN_STATE_QUERY);
          expect(state.nodes.loop).toMatchObject({
            status: 'succeeded',
            loop: { iteration: 1000, batches: 1000, processed: count, total: count },
          });
          expect(state.nodes.double).toMatchObject({ status: 'succeeded', iteration: 1000 });

          const histories = await executionHistories(run.runId, handle.firstExecutionRunId);
          console.error(
            `[loop] ${count} items in batches of 10: ${seconds.toFixed(1)} s, ${histories.length - 1} continue-as-new, ` +
              `executions: ${histories.map((h) => `${h.events} events/${Math.round(h.bytes / 1024)} KiB (input ${Math.round(h.inputBytes / 1024)} KiB)`).join(', ')}`,
          );
          expect(histories.length).toBeGreaterThan(1);
          // Bounded by continue-as-new, not by the number of iterations.
          for (const history of histories) {
            expect(history.events).toBeLessThan(6_000);
            expect(history.bytes).toBeLessThan(8_000_000);
            expect(history.inputBytes).toBeLessThan(200_000);
          }
          // Remote activities: the history grows until Temporal suggests continue-as-new.
        },
        { localPureNodes: false },
      );
    },
    10 * 60_000,
  );

  it('runs a body of an If and two branches per batch, a branch that does not fire skipped in that batch', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'loop-branches',
        [
          source('numbers', [0, 2, 1, 3, 4, 5]),
          { id: 'loop', type: 'core.loop', params: { batchSize: 2 } },
          { id: 'isEven', type: 'core.if', params: { condition: '={{ $json.n % 2 === 0 }}' } },
          { id: 'even', type: 'core.set', params: { values: { kind: 'even' } } },
          { id: 'odd', type: 'core.set', params: { values: { kind: 'odd' } } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'numbers' },
          { from: 'numbers', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'isEven' },
          { from: 'isEven', fromPort: 'true', to: 'even' },
          { from: 'isEven', fromPort: 'false', to: 'odd' },
          { from: 'even', to: 'loop' },
          { from: 'odd', to: 'loop' },
          { from: 'loop', fromPort: 'done', to: 'after' },
        ],
      ),
    );
    await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, run, taskQueue);
        const result = (await handle.result()) as RunDagResult;
        // Per batch, the results of each back edge in edge order: [0,2] even, [1,3] odd, then 4 even, 5 odd.
        expect(await itemsOf(result.outputs.after?.main)).toEqual([
          { n: 0, kind: 'even' },
          { n: 2, kind: 'even' },
          { n: 1, kind: 'odd' },
          { n: 3, kind: 'odd' },
          { n: 4, kind: 'even' },
          { n: 5, kind: 'odd' },
        ]);
        const state = await handle.query<RunState>(RUN_STATE_QUERY);
        expect(state.nodes.loop?.loop).toEqual({ iteration: 3, batches: 3, processed: 6, total: 6 });
        expect(state.nodes.odd).toMatchObject({ status: 'succeeded', iteration: 3 });
        const scheduled = (await handle.fetchHistory()).events
          ?.map((event) => event.activityTaskScheduledEventAttributes?.activityId)
          .filter((id): id is string => typeof id === 'string');
        // `even` ran in batches 1 and 3, `odd` in 2 and 3: skipped in the batch its port did not fire.
        expect(scheduled?.filter((id) => /^(even|odd)(:\d+)?$/.test(id))).toEqual(['even', 'odd:1', 'even:2', 'odd:2']);
        await replays(handle, 'if-body');
        // Remote activities: their ids carry the iteration.
      },
      { localPureNodes: false },
    );
  });

  it('with a batch size larger than its input runs the body once and emits every item on done', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'loop-one-batch',
        [
          source('numbers', [1, 2, 3]),
          { id: 'loop', type: 'core.loop', params: { batchSize: 50 } },
          { id: 'mark', type: 'core.set', params: { values: { seen: true } } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'numbers' },
          { from: 'numbers', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'mark' },
          { from: 'mark', to: 'loop' },
          { from: 'loop', fromPort: 'done', to: 'after' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(await itemsOf(result.outputs.after?.main)).toEqual([
        { n: 1, seen: true },
        { n: 2, seen: true },
        { n: 3, seen: true },
      ]);
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.nodes.loop?.loop).toEqual({ iteration: 1, batches: 1, processed: 3, total: 3 });
      expect(state.nodes.mark?.iteration).toBe(1);
    });
  });

  it('with no input items is skipped, with its body and what follows done, like any node whose input did not fire', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'loop-empty',
        [
          source('numbers', []),
          { id: 'loop', type: 'core.loop', params: { batchSize: 5 } },
          { id: 'mark', type: 'core.set', params: { values: { seen: true } } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'numbers' },
          { from: 'numbers', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'mark' },
          { from: 'mark', to: 'loop' },
          { from: 'loop', fromPort: 'done', to: 'after' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      await handle.result();
      const state = await handle.query<RunState>(RUN_STATE_QUERY);
      expect(state.status).toBe('COMPLETED');
      for (const id of ['loop', 'mark', 'after']) expect(state.nodes[id]?.status, id).toBe('skipped');
    });
  });

  it('gives each iteration of a body node its own idempotency key', async () => {
    keys.length = 0;
    const run = prepareRun(
      env,
      dagOf(
        'loop-idempotency',
        [
          source('numbers', [1, 2, 3]),
          { id: 'loop', type: 'core.loop', params: { batchSize: 1 } },
          { id: 'call', type: 'http.request', params: { method: 'POST', url: `${base}/charge`, idempotent: true } },
          { id: 'after', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'numbers' },
          { from: 'numbers', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'call' },
          { from: 'call', to: 'loop' },
          { from: 'loop', fromPort: 'done', to: 'after' },
        ],
      ),
    );
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, run, taskQueue);
      const result = (await handle.result()) as RunDagResult;
      expect(await itemsOf(result.outputs.after?.main)).toHaveLength(3);
      // The first iteration keeps the key a node outside a loop gets.
      expect(keys).toEqual([`${run.runId}:call`, `${run.runId}:call:1`, `${run.runId}:call:2`]);
    });
  });

  it('reads a loop input that arrives as a stored reference, and stores big batches and results', async () => {
    const run = prepareRun(
      env,
      dagOf(
        'loop-stored',
        [
          { id: 'big', type: 'test.big', params: { megabytes: 0.5 } },
          { id: 'loop', type: 'core.loop', params: { batchSize: 100 } },
          { id: 'pass', type: 'core.noop' },
          { id: 'measure', type: 'test.measure' },
        ],
        [
          { from: 'start', to: 'big' },
          { from: 'big', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'pass' },
          { from: 'pass', to: 'loop' },
          { from: 'loop', fromPort: 'done', to: 'measure' },
        ],
      ),
    );
    await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, run, taskQueue);
        const result = (await handle.result()) as RunDagResult;
        expect(result.outputs.measure?.main).toEqual([{ json: { items: 512, bytes: expect.any(Number), last: 511 } }]);
        const state = await handle.query<RunState>(RUN_STATE_QUERY);
        expect(isArtifactRef(state.nodes.big?.output?.main)).toBe(true);
        expect(isArtifactRef(state.nodes.loop?.output?.done)).toBe(true);
      },
      // Batches of 100 items of 1 KiB are over this threshold: each page is one stored batch.
      { claimCheckBytes: 64 * 1024 },
    );
  });
});
