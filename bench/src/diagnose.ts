import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres, startTemporal } from '@flowforge/scripts/stack';
import { createTestDatabase } from '@flowforge/scripts/test-env';
import { Connection, WorkflowClient } from '@temporalio/client';
import { type BenchStack, startBenchStack } from './bench-stack.ts';
import { type HistoryTiming, historyTimings, summarize } from './history-timings.ts';
import { percentile } from './stats.ts';
import { fiveNodes, setChain } from './workflows.ts';

/**
 * `node --import tsx bench/src/diagnose.ts`: runs a core.set chain a few times on the bench's stack
 * and prints, from each run's Temporal history, where a node's time goes: how long workflow tasks
 * and activities wait to be picked up (schedule-to-start) and how long they take (start-to-close).
 * DIAG_NODES (50), DIAG_RUNS (3), DIAG_PAUSE_MS (0, a pause between runs), DIAG_DYNAMIC_CONFIG,
 * DIAG_FAST (SQLite WAL without fsync) and DIAG_IN_MEMORY (no SQLite file) change the experiment.
 */

const say = (line: string) => process.stderr.write(`[diagnose] ${line}\n`);
const NODES = Number(process.env.DIAG_NODES ?? 50);
const RUNS = Number(process.env.DIAG_RUNS ?? 3);
const PAUSE_MS = Number(process.env.DIAG_PAUSE_MS ?? 0);
const BURST = Number(process.env.DIAG_BURST ?? 0);
/** DIAG_DYNAMIC_CONFIG='{"history.transferProcessorMaxPollRPS":20}': dev-server settings to try. */
const DYNAMIC_CONFIG = JSON.parse(process.env.DIAG_DYNAMIC_CONFIG ?? '{}') as Record<string, unknown>;

async function main(): Promise<void> {
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: source scripts/toolchain.sh && ff_ensure_temporal');
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-diagnose-'));
  const home = process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge');
  const [postgres, temporal] = await Promise.all([
    freePort().then((port) => startPostgres({ dir: join(home, 'bench', 'postgres'), port })),
    freePort().then((port) =>
      startTemporal({
        bin: temporalBin,
        port,
        ...(process.env.DIAG_IN_MEMORY ? {} : { dbFile: join(scratch, 'temporal.db') }),
        fast: Boolean(process.env.DIAG_FAST),
        dynamicConfig: DYNAMIC_CONFIG,
      }),
    ),
  ]);
  let stack: BenchStack | undefined;
  const connection = await Connection.connect({ address: temporal.address });
  try {
    stack = await startBenchStack({
      databaseUrl: await createTestDatabase(postgres.url('postgres')),
      temporalAddress: temporal.address,
    });
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: setChain('diag-chain', NODES),
    });
    const client = new WorkflowClient({ connection });
    for (let i = 0; i < RUNS; i++) {
      if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      const started = performance.now();
      const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
        'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
        { w: 'diag-chain', i: { n: 1 } },
      );
      await stack.graphql('query ($id: ID!) { run(id: $id, waitSeconds: 120) { status } }', { id: startRun.runId });
      const wall = performance.now() - started;
      const { timings } = await historyTimings(client, startRun.runId);
      report(i + 1, wall, timings);
    }
    if (BURST > 0) await burst(stack, client);
  } finally {
    await connection.close();
    await stack?.stop();
    await Promise.allSettled([temporal.stop(), postgres.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** DIAG_BURST runs of the 5-node workflow at once: where their start-to-completion time goes. */
async function burst(stack: BenchStack, client: WorkflowClient): Promise<void> {
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: fiveNodes('diag-five'),
  });
  const begin = Date.now();
  const runs = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const sent = Date.now();
      const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
        'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
        { w: 'diag-five', i: { qty: i, price: 10 } },
      );
      const started = Date.now();
      await stack.graphql('query ($id: ID!) { run(id: $id, waitSeconds: 120) { status } }', { id: startRun.runId });
      return { id: startRun.runId, sent, started, done: Date.now() };
    }),
  );
  const seconds = (Date.now() - begin) / 1000;
  const rows = await Promise.all(runs.map(async (run) => ({ ...run, history: await historyTimings(client, run.id) })));
  const p = (values: number[]) =>
    `p50 ${percentile(values, 50).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms`;
  const all = summarize(rows.flatMap((row) => row.history.timings));
  console.log(`burst of ${BURST} 5-node runs: ${(BURST / seconds).toFixed(1)} runs/s (${seconds.toFixed(2)} s)`);
  console.log(`  startRun mutation: ${p(rows.map((r) => r.started - r.sent))}`);
  console.log(`  mutation sent → first history event: ${p(rows.map((r) => r.history.firstEventMs - r.sent))}`);
  console.log(`  first → last history event: ${p(rows.map((r) => r.history.lastEventMs - r.history.firstEventMs))}`);
  console.log(
    `  last history event → run(waitSeconds) answered: ${p(rows.map((r) => r.done - r.history.lastEventMs))}`,
  );
  console.log(`  start to completion: ${p(rows.map((r) => r.done - r.sent))}`);
  console.log(
    `  workflow task: schedule→start p50 ${all.wftWait.p50.toFixed(1)} ms p90 ${all.wftWait.p90.toFixed(1)} ms, ` +
      `start→complete p50 ${all.wftRun.p50.toFixed(1)} ms p90 ${all.wftRun.p90.toFixed(1)} ms; ` +
      `activity start→complete p50 ${all.actRun.p50.toFixed(1)} ms p90 ${all.actRun.p90.toFixed(1)} ms`,
  );
}

function report(run: number, wallMs: number, timings: HistoryTiming[]): void {
  const s = summarize(timings);
  console.log(
    `run ${run}: ${wallMs.toFixed(0)} ms wall, ${s.activities} activities, ${s.workflowTasks} workflow tasks; ` +
      `history first→last ${s.spanMs.toFixed(0)} ms`,
  );
  console.log(
    `  workflow task: schedule→start p50 ${s.wftWait.p50.toFixed(1)} ms p90 ${s.wftWait.p90.toFixed(1)} ms max ${s.wftWait.max.toFixed(1)} ms; ` +
      `start→complete p50 ${s.wftRun.p50.toFixed(1)} ms`,
  );
  console.log(
    `  activity: schedule→start p50 ${s.actWait.p50.toFixed(1)} ms max ${s.actWait.max.toFixed(1)} ms; ` +
      `start→complete p50 ${s.actRun.p50.toFixed(1)} ms; complete→next WFT start p50 ${s.actToWft.p50.toFixed(1)} ms`,
  );
  const waits = timings.filter((t) => t.kind === 'wft').map((t) => t.waitMs);
  const tenth = Math.max(1, Math.ceil(waits.length / 10));
  const phases = [];
  for (let i = 0; i < waits.length; i += tenth) {
    const part = waits.slice(i, i + tenth);
    phases.push((part.reduce((a, b) => a + b, 0) / part.length).toFixed(0));
  }
  console.log(`  workflow task schedule→start, mean per tenth of the run: ${phases.join(' ')} ms`);
  if (process.env.DIAG_VERBOSE) {
    for (const t of timings)
      console.log(
        `    ${t.kind.padEnd(8)} wait ${t.waitMs.toFixed(1).padStart(6)} run ${t.runMs.toFixed(1).padStart(6)} at +${t.atMs.toFixed(0)}`,
      );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`FF_BENCH: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
