import { readFileSync } from 'node:fs';
import { RUN_STATE_QUERY, type RunDagResult, type RunState } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngineTestEnv,
  dagOf,
  type EngineTestEnv,
  prepareRun,
  runFailure,
  startRun,
  withWorker,
} from './support/test-runs.ts';

/**
 * Noisy neighbours (issue 12) against the real stack: a worker on the suite's Temporal dev server
 * runs hostile runs (endless loops, memory hogs in expressions and Code nodes) and innocent runs
 * started together with them. The innocent runs must COMPLETE; the hostile ones fail with their
 * own errors. Outcomes only, no durations: the machine may be busy.
 */

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.json', import.meta.url), 'utf8')) as unknown;

const oneNode = (name: string, node: Record<string, unknown>) =>
  dagOf(name, [{ id: 'node', ...node }], [{ from: 'start', to: 'node' }]);
const expressionRun = (name: string, expression: string) =>
  oneNode(name, { type: 'core.set', params: { values: { out: `={{ ${expression} }}` } } });
const codeRun = (name: string, code: string) => oneNode(name, { type: 'core.code', params: { code } });

interface Runs {
  definition: unknown;
  count: number;
}

/** Starts every hostile run, then every innocent one, without waiting in between; returns how each ended. */
async function runTogether(hostile: Runs[], innocent: Runs) {
  return withWorker(env, async (taskQueue) => {
    const start = ({ definition, count }: Runs) =>
      Array.from({ length: count }, (_, i) => startRun(env, prepareRun(env, definition, { name: `n${i}` }), taskQueue));
    const hostileHandles = await Promise.all(hostile.flatMap(start));
    const innocentHandles = await Promise.all(start(innocent));
    const innocentResults = await Promise.all(
      innocentHandles.map((handle) => handle.result() as Promise<RunDagResult>),
    );
    const hostileErrors = await Promise.all(
      hostileHandles.map(async (handle) => {
        await runFailure(handle);
        return (await handle.query<RunState>(RUN_STATE_QUERY)).nodes.node?.error?.code;
      }),
    );
    return { innocentResults, hostileErrors };
  });
}

const outputOf = (result: RunDagResult, node: string) =>
  (result.outputs[node]?.main as Array<{ json: unknown }> | undefined)?.map((item) => item.json);

describe('runs beside hostile neighbours', () => {
  it('complete while 40 other runs loop forever in expressions', { timeout: 240_000 }, async () => {
    const { innocentResults, hostileErrors } = await runTogether(
      [{ definition: expressionRun('looping-expression', '(() => { while (true) {} })()'), count: 40 }],
      { definition: hello, count: 5 },
    );
    expect(innocentResults.map((result) => outputOf(result, 'greet'))).toEqual(
      innocentResults.map((_, i) => [{ name: `n${i}`, greeting: `Hello, n${i}!` }]),
    );
    // Their own limit, or their node's timeout while they took turns on the lanes (how many of each
    // depends on the machine's speed: 40 of them need ~74 s of lane time, their nodes allow 30 s).
    for (const code of hostileErrors) expect(['FF_EXPRESSION', 'FF_NODE_TIMEOUT']).toContain(code);
  });

  it('complete while another run breaks the memory limit in an expression', { timeout: 180_000 }, async () => {
    const { innocentResults, hostileErrors } = await runTogether(
      [{ definition: expressionRun('memory-expression', 'new Array(2 ** 25).fill(1.5).length'), count: 1 }],
      { definition: hello, count: 16 },
    );
    expect(innocentResults.map((result) => result.status)).toEqual(innocentResults.map(() => 'COMPLETED'));
    expect(hostileErrors).toEqual(['FF_EXPRESSION']);
  });

  it('complete while other runs loop forever or break the memory limit in Code nodes', {
    timeout: 180_000,
  }, async () => {
    const { innocentResults, hostileErrors } = await runTogether(
      [
        { definition: codeRun('looping-code', 'while (true) {}'), count: 2 },
        {
          definition: codeRun(
            'memory-code',
            'const all = []; for (let i = 0; i < 2e8; i++) all.push({ i }); return {};',
          ),
          count: 1,
        },
      ],
      { definition: codeRun('innocent-code', 'return items.map((item) => ({ seen: item.json.name }));'), count: 3 },
    );
    expect(innocentResults.map((result) => outputOf(result, 'node'))).toEqual(
      innocentResults.map((_, i) => [{ seen: `n${i}` }]),
    );
    // Their own limits, or (on a very busy machine) their node's timeout while they shared a lane.
    for (const code of hostileErrors) expect(['FF_SANDBOX', 'FF_NODE_TIMEOUT']).toContain(code);
  });
});
