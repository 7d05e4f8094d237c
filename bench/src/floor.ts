import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTemporal } from '@flowforge/scripts/stack';
import { Connection, WorkflowClient } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './floor/activities.ts';
import { historyTimings, summarize } from './history-timings.ts';

/**
 * `node --import tsx bench/src/floor.ts`: Temporal's own per-activity cost on this machine, for
 * comparison with diagnose.ts: a chain of FLOOR_NODES (50) no-op activities in the simplest
 * workflow, on the same dev-server settings and a default worker. FLOOR_RUNS (3).
 */

const NODES = Number(process.env.FLOOR_NODES ?? 50);
const RUNS = Number(process.env.FLOOR_RUNS ?? 3);

async function main(): Promise<void> {
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: source scripts/toolchain.sh && ff_ensure_temporal');
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-floor-'));
  const temporal = await startTemporal({
    bin: temporalBin,
    port: await freePort(),
    dbFile: join(scratch, 'temporal.db'),
  });
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue: 'floor',
      workflowsPath: new URL('./floor/workflows.ts', import.meta.url).pathname,
      activities,
    });
    const client = new WorkflowClient({ connection });
    await worker.runUntil(async () => {
      for (let i = 0; i < RUNS; i++) {
        const workflowId = `floor-${Date.now()}-${i}`;
        const started = performance.now();
        await client.execute('noopChain', { taskQueue: 'floor', workflowId, args: [NODES] });
        const wall = performance.now() - started;
        const s = summarize((await historyTimings(client, workflowId)).timings);
        console.log(
          `run ${i + 1}: ${wall.toFixed(0)} ms wall, ${(wall / NODES).toFixed(1)} ms/activity; ` +
            `workflow task wait p50 ${s.wftWait.p50.toFixed(1)} ms run p50 ${s.wftRun.p50.toFixed(1)} ms; ` +
            `activity run p50 ${s.actRun.p50.toFixed(1)} ms`,
        );
      }
    });
  } finally {
    await connection.close();
    await workerConnection.close();
    await temporal.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`FF_BENCH: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
