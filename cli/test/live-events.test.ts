/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
// A second replica, as main.ts builds one; through the source path: the CLI package never depends on it.
import { buildApp } from '../../control-plane/src/app.ts';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startLocalStack } from '../../scripts/test-env/local-stack.ts';
import { watchRun } from '../src/run-watch.ts';
import { runShim } from './support/cli-shim.ts';

/**
 * Live run events against real servers: two control-plane replicas on one database (A, with the
 * worker posting its events to it; B, a second buildApp on its own port), the suite's Temporal and
 * PostgreSQL. What B's subscribers see went worker → A → NOTIFY → B's LISTEN.
 */

let stack: LocalStack;
let replicaB: Awaited<ReturnType<typeof buildApp>>;
let urlB: string;
let scratch: string;

const trigger = { id: 'start', type: 'trigger.manual' };

async function push(nodes: object[]): Promise<string> {
  const name = uniqueName('live');
  const ids = nodes.map((node) => (node as { id: string }).id);
  const edges = ids.slice(1).map((to, index) => ({ from: ids[index], to }));
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: { schemaVersion: 1, name, nodes, edges },
  });
  return name;
}

async function start(workflow: string): Promise<string> {
  const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
    { w: workflow },
  );
  return startRun.runId;
}

async function nodeStatus(runId: string, nodeId: string): Promise<string | undefined> {
  const { run } = await stack.graphql<{ run: { nodes: Record<string, { status: string }> } }>(
    'query ($id: ID!) { run(id: $id) { nodes } }',
    { id: runId },
  );
  return run.nodes[nodeId]?.status;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gave up waiting');
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-live-'));
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
  replicaB = await buildApp({
    databaseUrl,
    temporalAddress: inject('temporalAddress'),
    home: stack.home,
    taskQueue: stack.taskQueue,
  });
  await replicaB.listen({ host: '127.0.0.1', port: 0 });
  const address = replicaB.server.address();
  urlB = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 120_000);

afterAll(async () => {
  await replicaB?.close();
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('runEvents', () => {
  it('a subscriber on replica B that joins a waiting run gets its current state, then the live events in order, ending with run.completed', async () => {
    const workflow = await push([
      trigger,
      { id: 'pause', type: 'core.wait', params: { for: '3s' } },
      { id: 'after', type: 'core.set', params: { values: { done: true } } },
    ]);
    const runId = await start(workflow);
    await until(async () => (await nodeStatus(runId, 'pause')) === 'waiting');
    const events: Array<{ event: string; nodeId?: string | null }> = [];
    const end = await watchRun({ url: urlB, apiKey: stack.apiKey, source: 'test' }, runId, (event) =>
      events.push({ event: event.event, nodeId: event.nodeId }),
    );
    expect(end).toBe('run.completed');
    expect(events.map((event) => `${event.event}${event.nodeId ? ` ${event.nodeId}` : ''}`)).toEqual([
      // the current state when it joined
      'run.started',
      'node.succeeded start',
      'node.waiting pause',
      // live, through A and PostgreSQL
      'node.succeeded pause',
      'node.started after',
      'node.succeeded after',
      'run.completed',
    ]);
  });

  it('a subscriber to a run that already ended gets its state and the end, then the subscription completes', async () => {
    const workflow = await push([trigger, { id: 'greet', type: 'core.set', params: { values: { hi: 1 } } }]);
    const runId = await start(workflow);
    await stack.graphql('query ($id: ID!) { run(id: $id, waitSeconds: 30) { status } }', { id: runId });
    const events: string[] = [];
    const end = await watchRun({ url: urlB, apiKey: stack.apiKey, source: 'test' }, runId, (event) =>
      events.push(event.event),
    );
    expect(end).toBe('run.completed');
    expect(events).toEqual(['run.started', 'node.succeeded', 'node.succeeded', 'run.completed']);
  });

  it('refuses a subscription without an API key, and one with a wrong key', async () => {
    const workflow = await push([trigger]);
    const runId = await start(workflow);
    for (const apiKey of [undefined, 'ffk_not-a-key']) {
      const events: string[] = [];
      await expect(
        watchRun({ url: urlB, apiKey, source: 'test' }, runId, (event) => events.push(event.event)),
      ).rejects.toMatchObject({ code: 'FF_UNAVAILABLE' });
      expect(events).toEqual([]);
    }
  });
});

describe('approvalsWaiting', () => {
  it('shows a run that starts waiting for an approval, seen on replica B', async () => {
    const workflow = await push([trigger, { id: 'gate', type: 'core.approval', params: { message: 'ok?' } }]);
    const client = createClient({
      url: `${urlB.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${stack.apiKey}` },
      retryAttempts: 0,
    });
    const seen: Array<{ runId: string; nodeId: string; message: string }> = [];
    let runId = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const arrived = () => runId !== '' && seen.some((approval) => approval.runId === runId);
        const subscribed = setTimeout(async () => {
          runId = await start(workflow);
          if (arrived()) resolve();
        }, 500);
        client.subscribe(
          { query: 'subscription { approvalsWaiting(project: "default") { runId nodeId message } }' },
          {
            next: ({ data }) => {
              const approval = (data as { approvalsWaiting: (typeof seen)[number] }).approvalsWaiting;
              seen.push(approval);
              if (arrived()) resolve();
            },
            error: (error) => {
              clearTimeout(subscribed);
              reject(error);
            },
            complete: () => reject(new Error('completed early')),
          },
        );
      });
    } finally {
      await client.dispose();
    }
    expect(seen.find((approval) => approval.runId === runId)).toEqual({ runId, nodeId: 'gate', message: 'ok?' });
    await stack.graphql('mutation ($id: ID!) { cancelRun(id: $id) { status } }', { id: runId });
  });
});

describe('runsChanged', () => {
  it('tells a subscriber on replica B that a run started through A started and completed', async () => {
    const workflow = await push([trigger, { id: 'greet', type: 'core.set', params: { values: { hi: 1 } } }]);
    const client = createClient({
      url: `${urlB.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${stack.apiKey}` },
      retryAttempts: 0,
    });
    const changes: Array<{ runId: string; status: string; workflow: { name: string } }> = [];
    let runId = '';
    try {
      await new Promise<void>((resolve, reject) => {
        // The run's first events may come before startRun answers: keep them all, look once the id is known.
        const completed = () => runId !== '' && changes.some((c) => c.runId === runId && c.status === 'COMPLETED');
        const starting = setTimeout(async () => {
          runId = await start(workflow);
          if (completed()) resolve();
        }, 500);
        client.subscribe(
          { query: 'subscription { runsChanged(project: "default") { runId status workflow { name } } }' },
          {
            next: ({ data }) => {
              const change = (data as { runsChanged: (typeof changes)[number] }).runsChanged;
              changes.push(change);
              if (completed()) resolve();
            },
            error: (error) => {
              clearTimeout(starting);
              reject(error);
            },
            complete: () => reject(new Error('completed early')),
          },
        );
      });
    } finally {
      await client.dispose();
    }
    expect(changes.filter((change) => change.runId === runId)).toEqual([
      { runId, status: 'RUNNING', workflow: { name: workflow } },
      { runId, status: 'COMPLETED', workflow: { name: workflow } },
    ]);
  });
});

describe('flowforge runs watch', () => {
  it('--json prints one { event, nodeId?, at } per line and exits 0 when the run completed, 1 when it failed', async () => {
    const ok = await push([trigger, { id: 'pause', type: 'core.wait', params: { for: '1s' } }]);
    const failing = await push([trigger, { id: 'boom', type: 'core.stopAndError', params: { message: 'no' } }]);
    for (const [workflow, code, last] of [
      [ok, 0, 'run.completed'],
      [failing, 1, 'run.failed'],
    ] as const) {
      const runId = await start(workflow);
      const result = await runShim({ url: urlB, apiKey: stack.apiKey, home: scratch }, [
        'runs',
        'watch',
        runId,
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(code);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const line of lines) {
        expect(Object.keys(line).every((key) => ['event', 'nodeId', 'at'].includes(key))).toBe(true);
        expect(Number.isNaN(Date.parse(line.at as string))).toBe(false);
      }
      expect(lines.at(-1)?.event).toBe(last);
      expect(lines.some((line) => line.event === 'node.succeeded' && line.nodeId === 'start')).toBe(true);
      if (code === 1) expect(lines.some((line) => line.event === 'node.failed' && line.nodeId === 'boom')).toBe(true);
    }
  });

  it('run --follow starts a run and prints its live table until it ends', async () => {
    const workflow = await push([trigger, { id: 'greet', type: 'core.set', params: { values: { hi: 1 } } }]);
    const result = await runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, [
      'run',
      workflow,
      '--follow',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/NODE\s+STATUS/);
    expect(result.stdout).toMatch(/greet\s+succeeded/);
    expect(result.stdout).toMatch(/\(run\)\s+completed/);
  });
});
