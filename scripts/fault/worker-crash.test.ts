import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { waitFor } from '../stack/ports.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type CrashableTemporal, startCrashableTemporal } from './crashable-temporal.ts';
import { type FaultControlPlane, startFaultControlPlane } from './fault-control-plane.ts';
import { chargeKey, chargeWorkflow, waitWorkflow } from './fault-workflows.ts';
import { type SideEffectServer, startSideEffectServer } from './side-effect-server.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

/**
 * Issue 4, fault test 1: 50 runs in flight, half inside a slow idempotent HTTP call, half inside a
 * 8 s timer. The worker (a child process, as npm start runs it) is killed with SIGKILL and a new one
 * started. Every run completes and every Idempotency-Key's side effect was applied exactly once.
 * Its own Temporal server and task queue: killing things here never touches another test.
 */

const CHARGE_RUNS = 25;
const WAIT_RUNS = 25;

const logs: string[] = [];
const log = (line: string) => logs.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
let dir: string;
let temporal: CrashableTemporal | undefined;
let controlPlane: FaultControlPlane | undefined;
let server: SideEffectServer | undefined;
const workers: WorkerProcess[] = [];
const taskQueue = uniqueName('fault-worker');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowforge-fault-worker-'));
  temporal = await startCrashableTemporal({
    bin: inject('temporalBin'),
    dir,
    log: (line) => log(`[temporal] ${line}`),
  });
  controlPlane = await startFaultControlPlane({
    databaseUrl: await createTestDatabase(inject('postgresUrl')),
    temporalAddress: temporal.address,
    taskQueue,
  });
  // Answers take 8 s: long enough that the kill finds every charge in flight.
  server = await startSideEffectServer({ answerAfterMs: 8000 });
});

afterAll(async () => {
  // Everything this file started goes, even after a failure: worker process groups first.
  await Promise.allSettled(workers.map((worker) => worker.kill()));
  await Promise.allSettled([controlPlane?.stop(), server?.stop()]);
  await temporal?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed with SIGKILL in the middle of 50 runs', () => {
  it('every run completes on a new worker and each idempotency key is applied exactly once', async () => {
    onTestFailed(() => console.log(logs.slice(-80).join('\n')));
    const cp = controlPlane as FaultControlPlane;
    const sideEffects = server as SideEffectServer;
    const startWorker = async (name: string) => {
      const worker = await startWorkerProcess({
        temporalAddress: (temporal as CrashableTemporal).address,
        taskQueue,
        publicKeyPem: cp.publicKeyPem,
        home: join(dir, name),
        name,
        log,
      });
      workers.push(worker);
      return worker;
    };
    await cp.pushWorkflow(chargeWorkflow);
    await cp.pushWorkflow(waitWorkflow);
    const first = await startWorker('worker-1');

    const started = Date.now();
    const chargeRuns = await Promise.all(
      Array.from({ length: CHARGE_RUNS }, (_, order) =>
        cp.startRun(chargeWorkflow.name, { url: sideEffects.url, order }),
      ),
    );
    const waitRuns = await Promise.all(
      Array.from({ length: WAIT_RUNS }, (_, order) => cp.startRun(waitWorkflow.name, { order })),
    );

    // In flight: every charge has reached the server and every wait run sleeps on its timer.
    await waitFor('all 50 runs in flight', 30_000, async () => {
      if (sideEffects.applied.size < CHARGE_RUNS) return undefined;
      const views = await Promise.all(waitRuns.map((runId) => cp.getRun(runId)));
      return views.every((view) => view.nodes.pause?.status === 'waiting') ? true : undefined;
    });
    const inFlightAt = Date.now() - started;
    await first.kill('SIGKILL');
    const killedAt = Date.now() - started;
    expect(await first.exited).toBe('SIGKILL');
    const second = await startWorker('worker-2');
    const secondReadyAt = Date.now() - started;

    const errors = { count: 0 };
    const deadline = Date.now() + 90_000;
    const results = await Promise.all(
      [...chargeRuns, ...waitRuns].map((runId) => cp.awaitRun(runId, deadline, errors)),
    );
    const doneAt = Date.now() - started;

    expect(results.filter((run) => run.status !== 'COMPLETED')).toEqual([]);
    expect(second.isRunning()).toBe(true);
    // Exactly once: one application per key, for exactly the keys of these runs.
    expect([...sideEffects.applied.keys()].sort()).toEqual(chargeRuns.map(chargeKey).sort());
    expect([...sideEffects.applied.values()].every((count) => count === 1)).toBe(true);
    expect(sideEffects.unkeyed).toBe(0);
    // The kill did cut calls off mid-answer (otherwise this test proved nothing about retries).
    expect(sideEffects.abandoned).toBeGreaterThan(0);

    const retried = results.filter((run) => (run.nodes.charge?.attempts ?? 0) > 1).length;
    const repeats = [...sideEffects.repeats.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `worker-crash: ${results.length} runs (${CHARGE_RUNS} charge, ${WAIT_RUNS} wait) all COMPLETED; ` +
        `in flight at ${inFlightAt} ms, worker-1 SIGKILLed at ${killedAt} ms, worker-2 ready at ${secondReadyAt} ms, ` +
        `all done at ${doneAt} ms; ${sideEffects.abandoned} calls cut off by the kill, ${retried} charge nodes retried, ` +
        `${repeats} repeated keys deduped by the server, ${sideEffects.applied.size} keys applied once each; ` +
        `${errors.count} GraphQL errors while waiting`,
    );
  }, 180_000);
});
