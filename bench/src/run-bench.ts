import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunView } from '@flowforge/connectors-sdk/contract';
import { freePort, startPostgres, startTemporal } from '@flowforge/scripts/stack';
import { createTestDatabase } from '@flowforge/scripts/test-env';
import { type BenchStack, startBenchStack } from './bench-stack.ts';
import { formatMs, median, percentile } from './stats.ts';
import { fiveNodes, setChain } from './workflows.ts';

/**
 * `npm run bench`: the local stack as `npm start` runs it (embedded PostgreSQL, the Temporal dev
 * server on a SQLite file with temporal/dev-server.json, the control plane and one worker made as
 * workers/src/main.ts makes it; here the last two share this process), driven through GraphQL like
 * the CLI does. Where the time goes: bench/src/diagnose.ts; Temporal's own floor: bench/src/floor.ts. Prints the figures and writes them to
 * .flowforge/bench/latest.json.
 */

const say = (line: string) => process.stderr.write(`\x1b[36m[bench]\x1b[0m ${line}\n`);
const CHAIN = 50;
const CHAIN_RUNS = 5;
const BURST = 50;

async function runToEnd(stack: BenchStack, workflow: string, input: unknown): Promise<number> {
  const started = performance.now();
  const { startRun } = await stack.graphql<{ startRun: RunView }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId status } }',
    { w: workflow, i: input },
  );
  const { run } = await stack.graphql<{ run: RunView }>(
    'query ($id: ID!) { run(id: $id, waitSeconds: 120) { runId status } }',
    {
      id: startRun.runId,
    },
  );
  if (run.status !== 'COMPLETED') throw new Error(`run ${run.runId} of ${workflow} ended ${run.status}`);
  return performance.now() - started;
}

async function push(stack: BenchStack, definition: unknown): Promise<void> {
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
}

async function main(): Promise<void> {
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: run the benchmark with npm run bench');
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-bench-'));
  const home = process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge');
  say('starting PostgreSQL and the Temporal dev server (SQLite file, as npm start)');
  const [postgres, temporal] = await Promise.all([
    // Under .flowforge: the server runs as an unprivileged user when we are root, and /tmp dirs are 0700.
    freePort().then((port) => startPostgres({ dir: join(home, 'bench', 'postgres'), port })),
    freePort().then((port) => startTemporal({ bin: temporalBin, port, dbFile: join(scratch, 'temporal.db') })),
  ]);
  let stack: BenchStack | undefined;
  try {
    say('starting the control plane and a worker');
    stack = await startBenchStack({
      databaseUrl: await createTestDatabase(postgres.url('postgres')),
      temporalAddress: temporal.address,
    });
    await push(stack, setChain('bench-trigger-only', 0));
    await push(stack, setChain('bench-chain', CHAIN));
    await push(stack, fiveNodes('bench-five'));
    // The CPUs may be shared: the 1-minute load before and after says how much the figures can be trusted.
    const loadBefore = loadavg()[0] ?? 0;
    say('warming up');
    for (let i = 0; i < 3; i++) {
      await runToEnd(stack, 'bench-five', { qty: 3, price: 50 });
      await runToEnd(stack, 'bench-chain', { n: 1 });
    }

    say(`${CHAIN}-node core.set chain, ${CHAIN_RUNS} runs one after another`);
    const empty: number[] = [];
    const chain: number[] = [];
    for (let i = 0; i < CHAIN_RUNS; i++) {
      empty.push(await runToEnd(stack, 'bench-trigger-only', { n: 1 }));
      chain.push(await runToEnd(stack, 'bench-chain', { n: 1 }));
    }
    const perNode = median(chain) / (CHAIN + 1);
    const marginal = (median(chain) - median(empty)) / CHAIN;

    say(`${BURST} runs of a 5-node workflow started at once`);
    const burstStart = performance.now();
    const latencies = await Promise.all(
      Array.from({ length: BURST }, (_, i) => runToEnd(stack as BenchStack, 'bench-five', { qty: i, price: 10 })),
    );
    const burstSeconds = (performance.now() - burstStart) / 1000;

    const figures = {
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        load1m: { before: loadBefore, after: loadavg()[0] ?? 0 },
      },
      chain: {
        nodes: CHAIN,
        runMedianMs: median(chain),
        triggerOnlyMedianMs: median(empty),
        msPerNode: perNode,
        marginalMsPerNode: marginal,
      },
      burst: {
        runs: BURST,
        seconds: burstSeconds,
        runsPerSecond: BURST / burstSeconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
      },
      at: new Date().toISOString(),
    };
    const out = join(home, 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'latest.json'), `${JSON.stringify(figures, null, 2)}\n`);

    const { load1m } = figures.machine;
    console.log(
      `machine: ${figures.machine.cpus} cpus, ${figures.machine.model}, Node ${figures.machine.node}; ` +
        `load ${load1m.before.toFixed(1)} before, ${load1m.after.toFixed(1)} after`,
    );
    console.log(
      `${CHAIN}-node core.set chain: run ${formatMs(median(chain))} (median of ${CHAIN_RUNS}), a trigger-only run ${formatMs(median(empty))}`,
    );
    console.log(
      `  overhead per node: ${perNode.toFixed(2)} ms/node (whole run / ${CHAIN + 1} nodes), ${marginal.toFixed(2)} ms/node marginal`,
    );
    console.log(
      `${BURST} runs of a 5-node workflow started at once: ${figures.burst.runsPerSecond.toFixed(1)} runs/s (all done in ${burstSeconds.toFixed(2)} s)`,
    );
    console.log(`  start to completion: p50 ${formatMs(figures.burst.p50Ms)}, p99 ${formatMs(figures.burst.p99Ms)}`);
  } finally {
    await stack?.stop();
    await Promise.allSettled([temporal.stop(), postgres.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`\x1b[31mFF_BENCH: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\x1b[0m`);
    process.exit(1);
  },
);
