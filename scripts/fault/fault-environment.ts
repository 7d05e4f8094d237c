import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../stack/ports.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type CrashableTemporal, startCrashableTemporal } from './crashable-temporal.ts';
import { type FaultControlPlane, type RunResult, startFaultControlPlane } from './fault-control-plane.ts';
import { chargeWorkflow, waitWorkflow } from './fault-workflows.ts';
import { type SideEffectServer, startSideEffectServer } from './side-effect-server.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

export interface FaultEnvironmentOptions {
  temporalBin: string;
  postgresUrl: string;
  /** Names the directory and the task queue. */
  name: string;
  /** How long the side-effect server takes to answer a first request. */
  answerAfterMs: number;
  /**
   * How long wait runs sleep ("15s"): long enough that none has woken before every run is in
   * flight, even on a busy machine.
   */
  waitFor: string;
}

/**
 * What a fault test needs, all of its own: a Temporal dev server on a SQLite file, the control
 * plane (in this process), the side-effect server, a unique task queue, worker processes.
 * `stop()` ends all of it, worker process groups first, whatever state the test left it in.
 */
export interface FaultEnvironment {
  temporal: CrashableTemporal;
  controlPlane: FaultControlPlane;
  server: SideEffectServer;
  /** Every line of every child, with a time stamp: printed when a test fails. */
  logs: string[];
  startWorker(name: string): Promise<WorkerProcess>;
  /** Pushes both fault workflows and starts `charges` charge runs and `waits` wait runs. */
  startRuns(charges: number, waits: number): Promise<{ chargeRuns: string[]; waitRuns: string[] }>;
  /** Resolves when every charge has reached the server and every wait run sleeps on its timer. */
  untilInFlight(chargeRuns: string[], waitRuns: string[]): Promise<void>;
  /** Waits for every run to end (up to `withinMs`); GraphQL errors on the way are counted. */
  awaitRuns(runIds: string[], withinMs: number): Promise<{ results: RunResult[]; graphqlErrors: number }>;
  stop(): Promise<void>;
}

export async function startFaultEnvironment(options: FaultEnvironmentOptions): Promise<FaultEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), `flowforge-${options.name}-`));
  const taskQueue = uniqueName(options.name);
  const logs: string[] = [];
  const log = (line: string) => logs.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  const workers: WorkerProcess[] = [];
  const stops: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    await Promise.allSettled(workers.map((worker) => worker.kill()));
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const temporal = await startCrashableTemporal({
      bin: options.temporalBin,
      dir,
      log: (l) => log(`[temporal] ${l}`),
    });
    stops.push(() => temporal.stop());
    const controlPlane = await startFaultControlPlane({
      databaseUrl: await createTestDatabase(options.postgresUrl),
      temporalAddress: temporal.address,
      taskQueue,
    });
    stops.push(() => controlPlane.stop());
    const server = await startSideEffectServer({ answerAfterMs: options.answerAfterMs });
    stops.push(() => server.stop());

    return {
      temporal,
      controlPlane,
      server,
      logs,
      async startWorker(name) {
        const worker = await startWorkerProcess({
          temporalAddress: temporal.address,
          taskQueue,
          publicKeyPem: controlPlane.publicKeyPem,
          home: join(dir, name),
          name,
          log,
          onSpawn: (spawned) => workers.push(spawned),
        });
        return worker;
      },
      async startRuns(charges, waits) {
        await controlPlane.pushWorkflow(chargeWorkflow);
        await controlPlane.pushWorkflow(waitWorkflow);
        const many = (count: number, start: (order: number) => Promise<string>) =>
          Promise.all(Array.from({ length: count }, (_, order) => start(order)));
        const [chargeRuns, waitRuns] = await Promise.all([
          many(charges, (order) => controlPlane.startRun(chargeWorkflow.name, { url: server.url, order })),
          many(waits, (order) => controlPlane.startRun(waitWorkflow.name, { order, waitFor: options.waitFor })),
        ]);
        return { chargeRuns, waitRuns };
      },
      async untilInFlight(chargeRuns, waitRuns) {
        await waitFor('every run in flight', 30_000, async () => {
          if (server.applied.size < chargeRuns.length) return undefined;
          const views = await Promise.all(waitRuns.map((runId) => controlPlane.getRun(runId)));
          return views.every((view) => view.nodes.pause?.status === 'waiting') ? true : undefined;
        });
      },
      async awaitRuns(runIds, withinMs) {
        const errors = { count: 0 };
        const deadline = Date.now() + withinMs;
        const results = await Promise.all(runIds.map((runId) => controlPlane.awaitRun(runId, deadline, errors)));
        return { results, graphqlErrors: errors.count };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
