import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { SEARCH_ATTRIBUTES } from '@flowforge/connectors-sdk/contract';
import { type ApprovalLatency, approvalLatency } from './approval-latency.ts';
import {
  type ApprovalsStack,
  approvalWorkflow,
  completingWorkflow,
  startApprovalsStack,
  type WorkerMemory,
} from './approvals-stack.ts';
import { type ProcUsage, watchProcesses } from './proc-usage.ts';
import { formatMs, percentile } from './stats.ts';

/**
 * `npm run bench -- approvals [--waiting 10000] [--decide 200] [--idle 30] [--start-minutes 10] [--worker-heap-mb M]
 * [--worker-env NAME=value]... [--completed]`
 * (issue 4): start `--waiting` runs that stop at a core.approval node, wait until every one waits,
 * read the worker's and the Temporal server's memory and CPU from /proc while nothing happens for
 * `--idle` seconds (and for as long before the first run, as a baseline), then approve `--decide` of them one at a time and time each approval to the
 * start of the next node from the run's history. Starting stops after `--start-minutes` (the
 * count reached is reported). Figures go to stdout and .flowforge/bench/approvals.json.
 */

const say = (line: string) => process.stderr.write(`\x1b[36m[bench approvals]\x1b[0m ${line}\n`);
const WORKFLOW = 'bench-approval';

const { values: args } = parseArgs({
  options: {
    waiting: { type: 'string', default: '10000' },
    decide: { type: 'string', default: '200' },
    idle: { type: 'string', default: '30' },
    'start-minutes': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    'worker-heap-mb': { type: 'string' },
    // The control: runs that complete (start → core.set) instead of waiting; no approvals. Does the
    // worker grow with every run it ever ran, or only with the runs that wait?
    completed: { type: 'boolean', default: false },
    // More environment for the worker, NAME=value (repeatable): FLOWFORGE_MAX_CACHED_WORKFLOWS=500.
    'worker-env': { type: 'string', multiple: true, default: [] },
  },
});
const WAITING = Number(args.waiting);
const DECIDE = Number(args.decide);
const IDLE_SECONDS = Number(args.idle);
const START_BUDGET_MS = Number(args['start-minutes']) * 60_000;
const CONCURRENCY = Number(args.concurrency);
const WORKER_HEAP_MB = args['worker-heap-mb'] === undefined ? undefined : Number(args['worker-heap-mb']);
const COMPLETED = args.completed;
const WORKER_ENV = Object.fromEntries(
  args['worker-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--worker-env ${pair}: expected NAME=value`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

/** Calls `task` for 0..count-1, at most `limit` at a time, until `stopAt` (performance.now()); returns how many ran. */
async function pool(count: number, limit: number, stopAt: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < count && performance.now() < stopAt) {
      await task(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
  return done;
}

function progress(label: string, count: () => number, total: number): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const n = count();
    const seconds = (performance.now() - started) / 1000;
    say(`${label}: ${n}/${total} (${(n / seconds).toFixed(1)}/s, ${seconds.toFixed(0)} s)`);
  }, 5000);
  return () => clearInterval(timer);
}

async function startRuns(stack: ApprovalsStack): Promise<{ runIds: string[]; seconds: number }> {
  const runIds: string[] = [];
  const started = performance.now();
  const stopProgress = progress('started', () => runIds.length, WAITING);
  try {
    await pool(WAITING, CONCURRENCY, started + START_BUDGET_MS, async (i) => {
      const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
        'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
        { w: WORKFLOW, i: { order: i } },
      );
      runIds.push(startRun.runId);
    });
  } finally {
    stopProgress();
  }
  return { runIds, seconds: (performance.now() - started) / 1000 };
}

/**
 * Counts the runs that wait at an approval in Temporal's visibility (the search attribute runDag
 * sets), or with --completed the runs that completed.
 */
async function untilAllWaiting(stack: ApprovalsStack, expected: number): Promise<number> {
  const query = COMPLETED
    ? `ExecutionStatus = 'Completed'`
    : `ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.waitingApproval} IS NOT NULL`;
  const started = performance.now();
  for (;;) {
    const { count } = await stack.temporal.workflow.count(query);
    if (count >= expected) return (performance.now() - started) / 1000;
    if (performance.now() - started > 15 * 60_000)
      throw new Error(`only ${count} of ${expected} runs wait after 15 min`);
    say(`${COMPLETED ? 'completed' : 'waiting at the approval'}: ${count}/${expected}`);
    await delay(5000);
  }
}

/** The run view says the gate waits (what the UI and CLI show), for a sample of the runs. */
async function assertGateWaits(stack: ApprovalsStack, runIds: readonly string[]): Promise<void> {
  for (const id of runIds) {
    const { run } = await stack.graphql<{ run: { nodes: Record<string, { status: string }> } }>(
      'query ($id: ID!) { run(id: $id) { nodes } }',
      { id },
    );
    const status = run.nodes.gate?.status;
    if (status !== 'waiting') throw new Error(`run ${id}: the gate is "${status}", not "waiting"`);
  }
}

interface Decided extends ApprovalLatency {
  runId: string;
  /** The approve mutation's round trip (it returns the run view, read after the update). */
  callMs: number;
  /** Started early (likely evicted from the worker's cache) or late (likely cached). */
  group: 'oldest' | 'newest';
}

/**
 * Approves one run at a time (the latency of a lone approval, not of a queue), alternately among
 * the oldest runs and the newest, then reads each run's history once it has ended.
 */
async function approve(stack: ApprovalsStack, runIds: readonly string[]): Promise<Decided[]> {
  const picks = Array.from({ length: Math.min(DECIDE, runIds.length) }, (_, i) =>
    i % 2 === 0
      ? { runId: runIds[i / 2] as string, group: 'oldest' as const }
      : { runId: runIds[runIds.length - 1 - (i - 1) / 2] as string, group: 'newest' as const },
  );
  const sent: Array<{ runId: string; group: Decided['group']; sentAtMs: number; callMs: number }> = [];
  const stopProgress = progress('approved', () => sent.length, picks.length);
  try {
    for (const { runId, group } of picks) {
      const sentAtMs = performance.timeOrigin + performance.now();
      await stack.graphql('mutation ($r: ID!) { approve(runId: $r, nodeId: "gate") { runId } }', { r: runId });
      sent.push({ runId, group, sentAtMs, callMs: performance.timeOrigin + performance.now() - sentAtMs });
      // Let the next node run before the next approval, so one approval's work does not queue behind another's.
      await delay(50);
    }
  } finally {
    stopProgress();
  }
  const decided: Decided[] = [];
  await pool(sent.length, 8, Number.POSITIVE_INFINITY, async (i) => {
    const { runId, group, sentAtMs, callMs } = sent[i] as (typeof sent)[number];
    const handle = stack.temporal.workflow.getHandle(runId);
    await handle.result();
    const latency = approvalLatency((await handle.fetchHistory()).events ?? [], sentAtMs);
    if (!latency) throw new Error(`run ${runId}: no accepted update followed by a started activity in its history`);
    decided.push({ runId, group, callMs, ...latency });
  });
  return decided;
}

const spread = (samples: number[]) => ({
  n: samples.length,
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: Math.max(...samples),
});

const mb = (value: number) => `${value.toFixed(0)} MB`;
const describeMemory = (memory: WorkerMemory | undefined) =>
  memory
    ? Object.entries(memory)
        .map(([name, value]) => `${name} ${mb(value)}`)
        .join(', ')
    : 'no report yet';
const describeUsage = (name: string, usage: ProcUsage) =>
  `${name} (pid ${usage.pid}): RSS ${mb(usage.rssMb.mean)} mean, ${mb(usage.rssMb.min)}–${mb(usage.rssMb.max)} (peak ${mb(usage.peakRssMb)} since start); ` +
  `CPU ${usage.cpuPercent.toFixed(2)} % of a core (busiest second ${usage.maxCpuPercent.toFixed(1)} %)`;

async function main(): Promise<void> {
  say(
    `${WAITING} runs waiting, ${DECIDE} approvals timed, ${IDLE_SECONDS} s idle; starting stops after ${args['start-minutes']} min (this takes a while: the default npm run bench does not run it)`,
  );
  const stack = await startApprovalsStack(say, { workerHeapMb: WORKER_HEAP_MB, workerEnv: WORKER_ENV });
  try {
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: COMPLETED ? completingWorkflow(WORKFLOW) : approvalWorkflow(WORKFLOW),
    });
    const loadBefore = loadavg()[0] ?? 0;
    // The same processes with no run at all: what the waiting runs add is the difference.
    say(`${IDLE_SECONDS} s idle with no runs (baseline)`);
    const [workerBaseline, temporalBaseline] = await watchProcesses(
      [stack.worker.pid, stack.temporalServer.process.pid as number],
      IDLE_SECONDS,
    );
    const memoryBaseline = stack.workerMemory();
    const { runIds, seconds: startSeconds } = await startRuns(stack);
    if (runIds.length < WAITING)
      say(`\x1b[33monly ${runIds.length} of ${WAITING} runs started in the time given\x1b[0m`);
    const settleSeconds = await untilAllWaiting(stack, runIds.length);
    if (!COMPLETED) await assertGateWaits(stack, [...runIds.slice(0, 10), ...runIds.slice(-10)]);
    say(
      `${runIds.length} runs ${COMPLETED ? 'completed' : 'wait'}; letting the stack settle 10 s, then ${IDLE_SECONDS} s idle`,
    );
    await delay(10_000);
    const loadIdle = loadavg()[0] ?? 0;
    const [workerUsage, temporalUsage] = await watchProcesses(
      [stack.worker.pid, stack.temporalServer.process.pid as number],
      IDLE_SECONDS,
    );
    const memoryIdle = stack.workerMemory();
    if (!COMPLETED) say(`approving ${DECIDE} runs one at a time`);
    const decided = COMPLETED ? [] : await approve(stack, runIds);

    const started = decided.map((d) => d.startedMs);
    const figures = {
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model ?? 'unknown',
        memoryGb: totalmem() / 2 ** 30,
        node: process.version,
        workerHeapMb: WORKER_HEAP_MB ?? 'default',
        workerEnv: WORKER_ENV,
        load1m: { before: loadBefore, idle: loadIdle, after: loadavg()[0] ?? 0 },
      },
      waiting: {
        completed: COMPLETED,
        asked: WAITING,
        runs: runIds.length,
        startSeconds,
        startedPerSecond: runIds.length / startSeconds,
        untilAllWaitingSeconds: settleSeconds,
      },
      baseline: { seconds: IDLE_SECONDS, worker: workerBaseline, temporal: temporalBaseline },
      idle: { seconds: IDLE_SECONDS, worker: workerUsage, temporal: temporalUsage },
      workerMemoryMb: { baseline: memoryBaseline, idle: memoryIdle },
      approvalToNextNode:
        decided.length === 0
          ? undefined
          : {
              approvals: decided.length,
              taskScheduledMs: spread(decided.map((d) => d.taskScheduledMs)),
              taskStartedMs: spread(decided.map((d) => d.taskStartedMs)),
              taskCompletedMs: spread(decided.map((d) => d.taskCompletedMs)),
              acceptedMs: spread(decided.map((d) => d.acceptedMs)),
              scheduledMs: spread(decided.map((d) => d.scheduledMs)),
              startedMs: spread(started),
              oldestRunsStartedMs: spread(decided.filter((d) => d.group === 'oldest').map((d) => d.startedMs)),
              newestRunsStartedMs: spread(decided.filter((d) => d.group === 'newest').map((d) => d.startedMs)),
              callMs: spread(decided.map((d) => d.callMs)),
            },
      at: new Date().toISOString(),
    };
    const out = join(process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge'), 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, COMPLETED ? 'approvals-completed.json' : 'approvals.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );

    const { machine, waiting, approvalToNextNode: a } = figures;
    const p = (s: { p50: number; p99: number; max: number }) =>
      `p50 ${formatMs(s.p50)}, p99 ${formatMs(s.p99)}, max ${formatMs(s.max)}`;
    console.log(
      `machine: ${machine.cpus} cpus, ${machine.model}, Node ${machine.node}, worker heap limit ${machine.workerHeapMb}` +
        `${Object.entries(WORKER_ENV)
          .map(([name, value]) => `, ${name}=${value}`)
          .join('')}; ` +
        `load ${machine.load1m.before.toFixed(1)} before, ${machine.load1m.idle.toFixed(1)} at idle, ${machine.load1m.after.toFixed(1)} after`,
    );
    console.log(
      `${waiting.runs} runs ${COMPLETED ? 'completed' : 'waiting on approval'} (asked ${waiting.asked}): started in ${waiting.startSeconds.toFixed(0)} s ` +
        `(${waiting.startedPerSecond.toFixed(1)}/s), all ${COMPLETED ? 'completed' : 'waiting'} ${waiting.untilAllWaitingSeconds.toFixed(0)} s later`,
    );
    console.log(`idle for ${IDLE_SECONDS} s before any run (baseline):`);
    console.log(`  ${describeUsage('worker', workerBaseline as ProcUsage)}`);
    console.log(`  ${describeUsage('Temporal dev server', temporalBaseline as ProcUsage)}`);
    console.log(`  worker's process.memoryUsage(): ${describeMemory(memoryBaseline)}`);
    console.log(`idle for ${IDLE_SECONDS} s with all of them ${COMPLETED ? 'completed' : 'waiting'}:`);
    console.log(`  ${describeUsage('worker', workerUsage as ProcUsage)}`);
    console.log(`  ${describeUsage('Temporal dev server', temporalUsage as ProcUsage)}`);
    console.log(`  worker's process.memoryUsage(): ${describeMemory(memoryIdle)}`);
    if (!a) return;
    console.log(`approval → next node started (${a.approvals} approvals, one at a time): ${p(a.startedMs)}`);
    console.log(`  oldest runs: ${p(a.oldestRunsStartedMs)}; newest runs: ${p(a.newestRunsStartedMs)}`);
    console.log(`  its workflow task scheduled: ${p(a.taskScheduledMs)}`);
    console.log(`  started: ${p(a.taskStartedMs)}; completed: ${p(a.taskCompletedMs)}`);
    console.log(`  update accepted: ${p(a.acceptedMs)}; next node scheduled: ${p(a.scheduledMs)}`);
    console.log(`  approve mutation round trip: ${p(a.callMs)}`);
  } catch (error) {
    say(`worker's last lines:\n${stack.workerLog.join('\n')}`);
    throw error;
  } finally {
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
