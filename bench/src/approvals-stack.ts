import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, createApiKey } from '@flowforge/control-plane';
import { freePort, type RunningTemporal, startPostgres, startTemporal } from '@flowforge/scripts/stack';
import { createTestDatabase, graphqlClient } from '@flowforge/scripts/test-env';
import { Client, Connection } from '@temporalio/client';
import { startWorkerProcess, type WorkerProcess } from '../../scripts/fault/worker-process.ts';

/**
 * The stack of the approvals benchmark: PostgreSQL, the Temporal dev server on a SQLite file (as
 * `npm start`), the control plane in this process, and the worker as a process of its own started
 * the way `npm start` starts it, so that its memory and CPU can be read from /proc apart from ours.
 */
export interface ApprovalsStack {
  /** GraphQL as a user with role "approver" (the benchmark workflow's gate asks for it). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  temporal: Client;
  temporalServer: RunningTemporal;
  /** The dev server's SQLite file: its size is what the runs' histories take on disk. */
  temporalDbFile: string;
  worker: WorkerProcess;
  /** The worker's last output lines: printed when the benchmark fails. */
  workerLog: string[];
  /** The worker's last `memory:` report (MB), or undefined before the first one. */
  workerMemory(): WorkerMemory | undefined;
  stop(): Promise<void>;
}

export interface ApprovalsStackOptions {
  /**
   * The worker's V8 heap limit (--max-old-space-size, MB). The SDK sizes its default workflow
   * cache from it, (heap - 200) * 600 / 1024 runs, so this is how to try a smaller cache without
   * changing the worker. Unset: Node's default, as npm start runs it.
   */
  workerHeapMb?: number | undefined;
  /** More environment for the worker (FLOWFORGE_MAX_CACHED_WORKFLOWS, MALLOC_ARENA_MAX...). */
  workerEnv?: Record<string, string>;
}

export async function startApprovalsStack(
  say: (line: string) => void,
  options: ApprovalsStackOptions = {},
): Promise<ApprovalsStack> {
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: run the benchmark with npm run bench -- approvals');
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-bench-approvals-'));
  const home = process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge');
  const stops: Array<() => Promise<unknown>> = [async () => rmSync(scratch, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  const workerLog: string[] = [];
  const temporalDbFile = join(scratch, 'temporal.db');
  let lastMemoryLine: string | undefined;
  try {
    say('starting PostgreSQL and the Temporal dev server (SQLite file, as npm start)');
    const [postgres, temporalServer] = await Promise.all([
      // Under .flowforge (the server runs as an unprivileged user when we are root, and /tmp dirs are 0700);
      // not run-bench.ts's directory, so both benchmarks can run at once.
      freePort().then((port) => startPostgres({ dir: join(home, 'bench', 'postgres-approvals'), port })),
      freePort().then((port) => startTemporal({ bin: temporalBin, port, dbFile: temporalDbFile })),
    ]);
    stops.push(
      () => postgres.stop(),
      () => temporalServer.stop(),
    );

    say('starting the control plane, and the worker as a process of its own');
    const taskQueue = `bench-approvals-${process.pid}`;
    mkdirSync(join(scratch, 'control-plane'));
    const app = await buildApp({
      databaseUrl: await createTestDatabase(postgres.url('postgres')),
      temporalAddress: temporalServer.address,
      home: join(scratch, 'control-plane'),
      taskQueue,
    });
    stops.push(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const { key } = await createApiKey(app.flowforge.services.prisma, 'bench-approver', {
      user: 'bench',
      roles: ['approver'],
    });

    // startWorkerProcess gives the child this process's environment, read when it spawns (synchronously).
    const nodeOptions = process.env.NODE_OPTIONS;
    const workerEnv: Record<string, string> = {
      // A `memory:` line every 5 s (process.memoryUsage()): the benchmark reports the last one of each idle window.
      FLOWFORGE_MEMORY_REPORT_SECONDS: '5',
      ...options.workerEnv,
    };
    if (options.workerHeapMb !== undefined) {
      workerEnv.NODE_OPTIONS = `${nodeOptions ?? ''} --max-old-space-size=${options.workerHeapMb}`.trim();
    }
    const saved = Object.keys(workerEnv).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, workerEnv);
    const starting = startWorkerProcess({
      temporalAddress: temporalServer.address,
      taskQueue,
      publicKeyPem: app.flowforge.signingKeys.publicKeyPem,
      home: join(scratch, 'worker'),
      name: 'worker',
      log: (line) => {
        if (line.includes('] memory: ')) lastMemoryLine = line;
        else workerLog.push(line);
        if (workerLog.length > 50) workerLog.shift();
      },
      // A clean stop: the worker is not under test when the benchmark ends.
      onSpawn: (spawned) => stops.push(() => spawned.kill('SIGTERM')),
    });
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const worker = await starting;

    const connection = await Connection.connect({ address: temporalServer.address });
    stops.push(() => connection.close());
    const temporal = new Client({ connection });

    const graphql = graphqlClient(url, key);

    const workerMemory = () => (lastMemoryLine ? parseMemoryLine(lastMemoryLine) : undefined);
    return { graphql, temporal, temporalServer, temporalDbFile, worker, workerLog, workerMemory, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The worker's memory in MB, as its FLOWFORGE_MEMORY_REPORT_SECONDS line says (workers/src/main.ts). */
export type WorkerMemory = Record<string, number>;

/** Reads "memory: rss 412.3 MB, heapTotal 80.1 MB, ..." into { rss: 412.3, heapTotal: 80.1, ... }. */
export function parseMemoryLine(line: string): WorkerMemory | undefined {
  const figures: WorkerMemory = {};
  for (const [, name, mb] of line.matchAll(/(\w+) (\d+(?:\.\d+)?) MB/g)) figures[name as string] = Number(mb);
  return 'rss' in figures ? figures : undefined;
}

/** start → set (core.set): the control, a run that completes instead of waiting. */
export function completingWorkflow(name: string): unknown {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'ok', type: 'core.set', params: { values: { done: true } } },
    ],
    edges: [{ from: 'start', to: 'ok' }],
  };
}

/** start → gate (core.approval, role "approver") → ok (core.set) on "approved". */
export function approvalWorkflow(name: string): unknown {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'gate', type: 'core.approval', params: { roles: ['approver'] } },
      // Not a pure node: pure nodes run as local activities, and the latency is read up to the next activity's start.
      { id: 'ok', type: 'core.code', params: { code: 'return [{ json: { approved: true } }];' } },
    ],
    edges: [
      { from: 'start', to: 'gate' },
      { from: 'gate', fromPort: 'approved', to: 'ok' },
    ],
  };
}
