import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ApprovalsStack, startApprovalsStack } from './approvals-stack.ts';
import { HOSTILE, harmlessExpression, helloWorkflow, innocentCode } from './noisy-neighbours-workflows.ts';
import { readProc } from './proc-usage.ts';
import { formatMs, percentile } from './stats.ts';

/**
 * `node --import tsx bench/src/noisy-neighbours.ts [--only expression-loops,...]` (issue 12): hostile
 * runs that break the sandbox's time or memory limit are started together with innocent runs
 * against the stack as `npm start` runs it (the worker a process of its own), and the figures say
 * how many innocent runs COMPLETED, how long they took (the run's own start to end, from Temporal),
 * what the hostile runs ended with, and how far the worker's resident memory rose meanwhile.
 * Figures go to stdout and .flowforge/bench/noisy-neighbours.json.
 */

const say = (line: string) => process.stderr.write(`\x1b[36m[bench noisy]\x1b[0m ${line}\n`);

interface Scenario {
  name: string;
  hostile: { workflow: string; definition: unknown; count: number };
  innocent: { workflow: string; definition: unknown; count: number };
}

const hello = { workflow: 'hello', definition: helloWorkflow() };
const code = { workflow: 'noisy-code-innocent', definition: innocentCode() };
const hostile = (make: () => unknown, count: number) => {
  const definition = make() as { name: string };
  return { workflow: definition.name, definition, count };
};

const SCENARIOS: Scenario[] = [
  // The control: what the innocent runs take with nobody beside them.
  { name: 'alone', hostile: hostile(HOSTILE.expressionLoop, 0), innocent: { ...hello, count: 5 } },
  // The control for expression-loops: 40 runs beside the 5 as well, but harmless ones.
  { name: 'expression-harmless', hostile: hostile(harmlessExpression, 40), innocent: { ...hello, count: 5 } },
  { name: 'expression-loops', hostile: hostile(HOSTILE.expressionLoop, 40), innocent: { ...hello, count: 5 } },
  { name: 'expression-memory', hostile: hostile(HOSTILE.expressionMemory, 1), innocent: { ...hello, count: 16 } },
  { name: 'code-loops', hostile: hostile(HOSTILE.codeLoop, 5), innocent: { ...code, count: 3 } },
  { name: 'code-memory', hostile: hostile(HOSTILE.codeMemory, 1), innocent: { ...code, count: 3 } },
  { name: 'code-wasm', hostile: hostile(HOSTILE.codeWasm, 3), innocent: { ...code, count: 3 } },
];

const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const only = args.only?.split(',');

interface RunEnd {
  status: string;
  ms: number;
  error: string | undefined;
}

async function startRun(stack: ApprovalsStack, workflow: string, input: unknown): Promise<string> {
  const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
    'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
    { w: workflow, i: input },
  );
  return startRun.runId;
}

type NodeView = { status: string; error?: { code?: string; message?: string } };

async function runEnd(stack: ApprovalsStack, runId: string): Promise<RunEnd> {
  for (;;) {
    const { run } = await stack.graphql<{
      run: { status: string; startedAt: string; finishedAt: string | null; nodes: Record<string, NodeView> };
    }>('query ($id: ID!) { run(id: $id, waitSeconds: 120) { status startedAt finishedAt nodes } }', { id: runId });
    if (run.status === 'RUNNING' || !run.finishedAt) continue;
    const failed = Object.values(run.nodes).find((node) => node.error);
    return {
      status: run.status,
      ms: Date.parse(run.finishedAt) - Date.parse(run.startedAt),
      error: failed?.error ? `${failed.error.code}: ${failed.error.message}` : undefined,
    };
  }
}

/** How many of each distinct outcome ("COMPLETED", "FAILED FF_EXPRESSION: ..."). */
function outcomes(ends: readonly RunEnd[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const end of ends) {
    const key = end.error ? `${end.status} ${end.error.slice(0, 140)}` : end.status;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function runScenario(stack: ApprovalsStack, scenario: Scenario) {
  const pid = stack.worker.pid;
  const rssBefore = readProc(pid).rssBytes;
  let rssMax = rssBefore;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, readProc(pid).rssBytes);
  }, 100);
  try {
    // Hostile runs first: with one queue in front of the sandbox this is the innocent runs' worst place.
    const starts = [
      ...Array.from({ length: scenario.hostile.count }, () => ['hostile', scenario.hostile.workflow] as const),
      ...Array.from({ length: scenario.innocent.count }, () => ['innocent', scenario.innocent.workflow] as const),
    ];
    const began = performance.now();
    const runs = await Promise.all(
      starts.map(async ([role, workflow], i) => ({ role, runId: await startRun(stack, workflow, { name: `n${i}` }) })),
    );
    const ends = await Promise.all(runs.map(async (run) => ({ ...run, ...(await runEnd(stack, run.runId)) })));
    const innocent = ends.filter((end) => end.role === 'innocent');
    const completed = innocent.filter((end) => end.status === 'COMPLETED');
    const latencies = innocent.map((end) => end.ms);
    return {
      scenario: scenario.name,
      hostile: { count: scenario.hostile.count, workflow: scenario.hostile.workflow },
      innocent: {
        count: innocent.length,
        completed: completed.length,
        p50Ms: percentile(latencies, 50),
        maxMs: Math.max(...latencies),
        outcomes: outcomes(innocent),
      },
      hostileOutcomes: outcomes(ends.filter((end) => end.role === 'hostile')),
      allDoneSeconds: (performance.now() - began) / 1000,
      workerRssMb: { before: rssBefore / 2 ** 20, max: rssMax / 2 ** 20 },
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const scenarios = SCENARIOS.filter((scenario) => !only || only.includes(scenario.name));
  const stack = await startApprovalsStack(say);
  const results = [];
  try {
    // The innocent workflows always: the warm-up runs both.
    const pushed = new Map<string, unknown>([
      [hello.workflow, hello.definition],
      [code.workflow, code.definition],
    ]);
    for (const scenario of scenarios) {
      pushed.set(scenario.hostile.workflow, scenario.hostile.definition);
      pushed.set(scenario.innocent.workflow, scenario.innocent.definition);
    }
    for (const definition of pushed.values()) {
      await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
    }
    say('warming up: one innocent run of each kind');
    for (const workflow of [hello.workflow, code.workflow]) await runEnd(stack, await startRun(stack, workflow, {}));
    const loadBefore = loadavg()[0] ?? 0;
    for (const scenario of scenarios) {
      say(
        `${scenario.name}: ${scenario.hostile.count} × ${scenario.hostile.workflow} + ${scenario.innocent.count} × ${scenario.innocent.workflow}`,
      );
      const result = await runScenario(stack, scenario);
      results.push(result);
      const { innocent } = result;
      console.log(
        `${result.scenario}: ${result.hostile.count} × ${result.hostile.workflow} beside ${innocent.count} innocent: ` +
          `${innocent.completed}/${innocent.count} innocent COMPLETED, latency p50 ${formatMs(innocent.p50Ms)}, max ${formatMs(innocent.maxMs)}; ` +
          `all ended after ${result.allDoneSeconds.toFixed(1)} s; worker RSS ${result.workerRssMb.before.toFixed(0)} → max ${result.workerRssMb.max.toFixed(0)} MB`,
      );
      for (const [outcome, n] of Object.entries(innocent.outcomes)) console.log(`  innocent ${n} × ${outcome}`);
      for (const [outcome, n] of Object.entries(result.hostileOutcomes)) console.log(`  beside   ${n} × ${outcome}`);
    }
    const machine = {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      load1m: { before: loadBefore, after: loadavg()[0] ?? 0 },
    };
    console.log(
      `machine: ${machine.cpus} cpus, load ${machine.load1m.before.toFixed(1)} before, ${machine.load1m.after.toFixed(1)} after`,
    );
    const out = join(process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge'), 'bench');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'noisy-neighbours.json'),
      `${JSON.stringify({ machine, results, at: new Date().toISOString() }, null, 2)}\n`,
    );
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
