import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { SEARCH_ATTRIBUTES } from '@flowforge/connectors-sdk/contract';
import { type HttpTestServer, startHttpTestServer } from '../../scripts/test-env/http-test-server.ts';
import { type ApprovalsStack, approvalWorkflow, startApprovalsStack } from './approvals-stack.ts';
import { type ProcUsage, watchProcesses } from './proc-usage.ts';
import { fiveNodes } from './workflows.ts';

/**
 * `npm run bench -- scaling [--seconds 20] [--concurrency 16] [--cache 200] [--waiting 600]` (issue
 * 11, docs/SCALING.md): what ONE worker process, ONE control plane and the Temporal dev server (one
 * process, SQLite, one history shard) sustain on this machine, in about 3 minutes:
 *  1. runs/s: closed loop of `--concurrency` runs of a 5-node workflow of pure nodes (local activities);
 *  2. activities/s: the same loop on a chain of 4 http.request nodes (remote activities) to a local server;
 *  3. memory per waiting run: the worker runs with FLOWFORGE_MAX_CACHED_WORKFLOWS=`--cache` (the
 *     default is 500; smaller here so that both regimes fit in minutes): `--cache` runs stopped at a
 *     core.approval (all stay in the worker's cache), then more up to `--waiting` (all past the cache:
 *     the SDK evicts the oldest); worker and Temporal RSS and the SQLite file after each step.
 * (3 runs first, on a fresh worker; then 1 and 2.) Runs are started through GraphQL (the control plane signs, starts and records each) and awaited on
 * Temporal directly, so the driver adds no run-view queries. Figures: stdout and .flowforge/bench/scaling.json.
 */

const say = (line: string) => process.stderr.write(`\x1b[36m[bench scaling]\x1b[0m ${line}\n`);
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '16' },
    cache: { type: 'string', default: '200' },
    waiting: { type: 'string', default: '600' },
  },
});
const SECONDS = Number(args.seconds);
const CONCURRENCY = Number(args.concurrency);
const CACHED = Number(args.cache);
const WAITING = Number(args.waiting);
const REMOTE_NODES = 4;
const mb = (value: number) => `${value.toFixed(0)} MB`;
const kb = (value: number) => `${(value * 1024).toFixed(0)} KB`;

function httpChain(name: string, url: string): unknown {
  const ids = Array.from({ length: REMOTE_NODES }, (_, i) => `call${i + 1}`);
  const nodes = [
    { id: 'start', type: 'trigger.manual' },
    ...ids.map((id) => ({ id, type: 'http.request', params: { url: `${url}/ok/${id}` } })),
  ];
  const order = ['start', ...ids];
  return { schemaVersion: 1, name, nodes, edges: ids.map((to, i) => ({ from: order[i], to })) };
}

async function startRun(stack: ApprovalsStack, workflow: string, input: unknown): Promise<string> {
  const { startRun: started } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: workflow, i: input },
  );
  return started.runId;
}

interface Throughput {
  runs: number;
  seconds: number;
  runsPerSecond: number;
  worker: ProcUsage;
  temporal: ProcUsage;
  /** This process: the control plane and the load driver (GraphQL client, Temporal client). */
  controlPlaneCpuPercent: number;
}

/** `CONCURRENCY` lanes each start a run and wait for its result, again and again, for `SECONDS`. */
async function closedLoop(stack: ApprovalsStack, workflow: string): Promise<Throughput> {
  let runs = 0;
  const stopAt = performance.now() + SECONDS * 1000;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const lane = async (lane: number) => {
    while (performance.now() < stopAt) {
      const runId = await startRun(stack, workflow, { qty: lane, price: 50 });
      await stack.temporal.workflow.getHandle(runId).result();
      runs++;
    }
  };
  const watching = watchProcesses([stack.worker.pid, stack.temporalServer.process.pid as number], SECONDS);
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => lane(i)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const [worker, temporal] = (await watching) as [ProcUsage, ProcUsage];
  return {
    runs,
    seconds,
    runsPerSecond: runs / seconds,
    worker,
    temporal,
    controlPlaneCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
  };
}

interface Snapshot {
  waiting: number;
  workerRssMb: number;
  /** The worker's JS heaps in use (main thread + workflow threads), from its last `memory:` line. */
  workerHeapUsedMb: number;
  temporalRssMb: number;
  sqliteMb: number;
  workerCpuPercent: number;
}

async function snapshot(stack: ApprovalsStack, dbFile: string, waiting: number): Promise<Snapshot> {
  const [worker, temporal] = (await watchProcesses(
    [stack.worker.pid, stack.temporalServer.process.pid as number],
    5,
  )) as [ProcUsage, ProcUsage];
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  const memory = stack.workerMemory();
  return {
    waiting,
    workerRssMb: worker.rssMb.mean,
    workerHeapUsedMb: (memory?.heapUsed ?? 0) + (memory?.threadsHeapUsed ?? 0),
    temporalRssMb: temporal.rssMb.mean,
    sqliteMb: (size(dbFile) + size(`${dbFile}-wal`)) / 2 ** 20,
    workerCpuPercent: worker.cpuPercent,
  };
}

/** Starts runs that stop at the approval until `total` wait (visibility's count), `CONCURRENCY` at a time. */
async function waitUntilWaiting(stack: ApprovalsStack, from: number, total: number): Promise<number> {
  const started = performance.now();
  let next = from;
  const lane = async () => {
    while (next < total) await startRun(stack, 'bench-scaling-wait', { order: next++ });
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const query = `ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.waitingApproval} IS NOT NULL`;
  for (;;) {
    const { count } = await stack.temporal.workflow.count(query);
    if (count >= total) break;
    if (performance.now() - started > 5 * 60_000) throw new Error(`only ${count} of ${total} runs wait after 5 min`);
    await delay(1000);
  }
  await delay(3000); // the last workflow tasks' memory settles
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  let server: HttpTestServer | undefined;
  const stack = await startApprovalsStack(say, { workerEnv: { FLOWFORGE_MAX_CACHED_WORKFLOWS: String(CACHED) } });
  try {
    server = await startHttpTestServer();
    const push = (d: unknown) =>
      stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d });
    await push(fiveNodes('bench-scaling-five'));
    await push(httpChain('bench-scaling-http', server.url));
    await push(approvalWorkflow('bench-scaling-wait'));
    const cluster = await stack.temporal.workflowService.getClusterInfo({});
    const shards = cluster.historyShardCount ?? 0;
    const dbFile = stack.temporalDbFile;
    say('warming up');
    for (let i = 0; i < 5; i++) {
      await stack.temporal.workflow
        .getHandle(await startRun(stack, 'bench-scaling-five', { qty: 1, price: 1 }))
        .result();
    }
    // Waiting runs first, on a worker that has run nothing but the warm-up: after the loops its heap
    // holds their garbage, which the next GC returns and which hid the waiting runs' memory (RSS fell).
    const idle = await snapshot(stack, dbFile, 0);
    say(`${CACHED} runs waiting on approval (the worker's cache holds ${CACHED}: all stay cached)`);
    const cachedSeconds = await waitUntilWaiting(stack, 0, CACHED);
    const cached = await snapshot(stack, dbFile, CACHED);
    say(
      `  in ${cachedSeconds.toFixed(0)} s; worker RSS ${mb(idle.workerRssMb)} → ${mb(cached.workerRssMb)}, Temporal ${mb(idle.temporalRssMb)} → ${mb(cached.temporalRssMb)}`,
    );
    say(
      `${WAITING} runs waiting on approval (the ${WAITING - CACHED} more are past the cache: the oldest are evicted)`,
    );
    const waitingSeconds = await waitUntilWaiting(stack, CACHED, WAITING);
    const waiting = await snapshot(stack, dbFile, WAITING);

    say(`runs/s: ${CONCURRENCY} lanes of the 5-node workflow (local activities) for ${SECONDS} s`);
    const five = await closedLoop(stack, 'bench-scaling-five');
    say(
      `  ${five.runsPerSecond.toFixed(1)} runs/s; worker CPU ${five.worker.cpuPercent.toFixed(0)} %, Temporal ${five.temporal.cpuPercent.toFixed(0)} %`,
    );
    say(
      `activities/s: ${CONCURRENCY} lanes of ${REMOTE_NODES} http.request nodes (remote activities) for ${SECONDS} s`,
    );
    const http = await closedLoop(stack, 'bench-scaling-http');
    say(
      `  ${(http.runsPerSecond * REMOTE_NODES).toFixed(1)} activities/s; worker CPU ${http.worker.cpuPercent.toFixed(0)} %, Temporal ${http.temporal.cpuPercent.toFixed(0)} %`,
    );
    const after = await snapshot(stack, dbFile, WAITING);
    const perRun = (a: Snapshot, b: Snapshot, key: 'workerRssMb' | 'workerHeapUsedMb' | 'temporalRssMb' | 'sqliteMb') =>
      (b[key] - a[key]) / (b.waiting - a.waiting);

    const figures = {
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? 'unknown',
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        load1m: { before: loadBefore, after: loadavg()[0] ?? 0 },
      },
      temporal: { server: 'temporal server start-dev (SQLite file, one process)', historyShards: shards },
      settings: { seconds: SECONDS, concurrency: CONCURRENCY, maxCachedWorkflows: CACHED, waiting: WAITING },
      runsPerSecond: { workflow: '5 pure nodes (local activities)', ...five },
      activitiesPerSecond: {
        workflow: `trigger + ${REMOTE_NODES} http.request (remote activities)`,
        activitiesPerSecond: http.runsPerSecond * REMOTE_NODES,
        ...http,
      },
      waitingRuns: {
        idle,
        cached,
        waiting,
        afterLoops: after,
        startSeconds: { cached: cachedSeconds, beyondCache: waitingSeconds },
        /** SQLite growth over the runs of both loops (finished runs, history kept): what a closed run takes on disk. */
        sqlitePerFinishedRunKb: ((after.sqliteMb - waiting.sqliteMb) * 1024) / (five.runs + http.runs),
        perRunMb: {
          workerCached: perRun(idle, cached, 'workerRssMb'),
          workerBeyondCache: perRun(cached, waiting, 'workerRssMb'),
          workerHeapCached: perRun(idle, cached, 'workerHeapUsedMb'),
          workerHeapBeyondCache: perRun(cached, waiting, 'workerHeapUsedMb'),
          temporal: perRun(idle, waiting, 'temporalRssMb'),
          sqlite: perRun(idle, waiting, 'sqliteMb'),
        },
      },
      benchSeconds: (performance.now() - started) / 1000,
    };
    const out = join(process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge'), 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'scaling.json'), `${JSON.stringify(figures, null, 2)}\n`);

    const { machine } = figures;
    // CPU time per run says more than the rate on a shared machine: a starved process runs slower, not costlier.
    const perRunMs = (percent: number, t: Throughput) => ((percent / 100) * 1000) / t.runsPerSecond;
    const cpu = (t: Throughput) =>
      `CPU: worker ${t.worker.cpuPercent.toFixed(0)} %, Temporal ${t.temporal.cpuPercent.toFixed(0)} %, control plane + driver ${t.controlPlaneCpuPercent.toFixed(0)} % of a core; ` +
      `per run: worker ${perRunMs(t.worker.cpuPercent, t).toFixed(0)} ms, Temporal ${perRunMs(t.temporal.cpuPercent, t).toFixed(0)} ms, control plane + driver ${perRunMs(t.controlPlaneCpuPercent, t).toFixed(0)} ms`;
    const w = figures.waitingRuns;
    console.log(
      `${figures.at}; machine: ${machine.cpus} cpus, ${machine.model}, ${machine.memoryGb.toFixed(0)} GB, Node ${machine.node}; ` +
        `load ${machine.load1m.before.toFixed(1)} before, ${machine.load1m.after.toFixed(1)} after; Temporal dev server, ${shards} history shard(s)`,
    );
    console.log(
      `runs/s (5 pure nodes, ${CONCURRENCY} in flight): ${five.runsPerSecond.toFixed(1)} (${five.runs} runs in ${five.seconds.toFixed(0)} s)`,
    );
    console.log(`  ${cpu(five)}`);
    console.log(
      `activities/s (${REMOTE_NODES} http.request per run, ${CONCURRENCY} in flight): ${figures.activitiesPerSecond.activitiesPerSecond.toFixed(1)} ` +
        `(${http.runsPerSecond.toFixed(1)} runs/s, ${http.runs} runs)`,
    );
    console.log(`  ${cpu(http)}`);
    console.log(
      `waiting runs: worker RSS ${mb(idle.workerRssMb)} → ${mb(cached.workerRssMb)} at ${CACHED} (cached) → ${mb(waiting.workerRssMb)} at ${WAITING}; ` +
        `Temporal RSS ${mb(idle.temporalRssMb)} → ${mb(cached.temporalRssMb)} → ${mb(waiting.temporalRssMb)}; SQLite ${mb(idle.sqliteMb)} → ${mb(waiting.sqliteMb)}`,
    );
    console.log(
      `  per waiting run: worker ${kb(w.perRunMb.workerCached)} while cached, ${kb(w.perRunMb.workerBeyondCache)} past the cache; ` +
        `(JS heaps: ${kb(w.perRunMb.workerHeapCached)} / ${kb(w.perRunMb.workerHeapBeyondCache)}); Temporal ${kb(w.perRunMb.temporal)}; SQLite ${kb(w.perRunMb.sqlite)}; worker CPU idle with ${WAITING} waiting ${waiting.workerCpuPercent.toFixed(1)} %`,
    );
    if (Math.min(w.perRunMb.workerCached, w.perRunMb.workerBeyondCache) < 0) {
      console.log(
        "  (the worker's RSS fell while runs were added: V8 gave back garbage; per-run worker memory is below this bench's noise, npm run bench -- approvals measures 10,000 runs)",
      );
    }
    console.log(
      `  SQLite per finished run (both loops): ${w.sqlitePerFinishedRunKb.toFixed(1)} KB; worker RSS after the loops ${mb(after.workerRssMb)}`,
    );
    console.log(
      `  started ${CACHED} in ${cachedSeconds.toFixed(0)} s, ${WAITING - CACHED} more in ${waitingSeconds.toFixed(0)} s; bench took ${figures.benchSeconds.toFixed(0)} s`,
    );
  } catch (error) {
    say(`worker's last lines:\n${stack.workerLog.join('\n')}`);
    throw error;
  } finally {
    await server?.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say(`\x1b[31mFF_BENCH: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\x1b[0m`);
    process.exit(1);
  },
);
