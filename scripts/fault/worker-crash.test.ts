import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { countBy } from './count-by.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';
import { chargeKey } from './fault-workflows.ts';

/**
 * Issue 4, fault test 1: 50 runs in flight, half inside a slow idempotent HTTP call, half inside a
 * 15 s timer. The worker (a child process, as npm start runs it) is killed with SIGKILL and a new one
 * started. Every run completes and every Idempotency-Key's side effect was applied exactly once.
 * Its own Temporal server and task queue: killing things here never touches another test.
 */

const CHARGE_RUNS = 25;
const WAIT_RUNS = 25;

let env: FaultEnvironment | undefined;

beforeAll(async () => {
  env = await startFaultEnvironment({
    temporalBin: inject('temporalBin'),
    postgresUrl: inject('postgresUrl'),
    name: 'fault-worker',
    // Answers take 8 s: long enough that the kill finds every charge in flight.
    answerAfterMs: 8000,
    waitFor: '15s',
  });
});

afterAll(async () => env?.stop());

describe('a worker killed with SIGKILL in the middle of 50 runs', () => {
  it('every run completes on a new worker and each idempotency key is applied exactly once', async () => {
    const { server, ...stack } = env as FaultEnvironment;
    onTestFailed(() => console.log(stack.logs.slice(-80).join('\n')));
    const first = await stack.startWorker('worker-1');

    const started = Date.now();
    const { chargeRuns, waitRuns } = await stack.startRuns(CHARGE_RUNS, WAIT_RUNS);
    await stack.untilInFlight(chargeRuns, waitRuns);
    const killedAt = Date.now() - started;
    await first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const second = await stack.startWorker('worker-2');
    const secondReadyAt = Date.now() - started;

    const { results, graphqlErrors } = await stack.awaitRuns([...chargeRuns, ...waitRuns], 90_000);
    const doneAt = Date.now() - started;

    expect(results.filter((run) => run.status !== 'COMPLETED')).toEqual([]);
    const chargeResults = results.slice(0, CHARGE_RUNS);
    expect(countBy(chargeResults.map((run) => run.nodes.charge?.status))).toEqual({ succeeded: CHARGE_RUNS });
    expect(countBy(results.slice(CHARGE_RUNS).map((run) => run.nodes.pause?.status))).toEqual({ succeeded: WAIT_RUNS });
    expect(second.isRunning()).toBe(true);
    // Exactly once: one application per key, for exactly the keys of these runs.
    expect([...server.applied.keys()].sort()).toEqual(chargeRuns.map(chargeKey).sort());
    expect([...server.applied.values()].every((count) => count === 1)).toBe(true);
    expect(server.unkeyed).toBe(0);
    // The kill did cut calls off mid-answer (otherwise this test proved nothing about retries).
    expect(server.abandoned).toBeGreaterThan(0);

    const attempts = countBy(chargeResults.map((run) => run.nodes.charge?.attempts));
    const repeats = [...server.repeats.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `worker-crash: ${results.length} runs (${CHARGE_RUNS} charge, ${WAIT_RUNS} wait) all COMPLETED; ` +
        `worker-1 SIGKILLed at ${killedAt} ms with every run in flight, worker-2 ready at ${secondReadyAt} ms, ` +
        `all done at ${doneAt} ms; ${server.abandoned} calls cut off by the kill, charge attempts ${JSON.stringify(attempts)} (attempts: runs), ` +
        `${repeats} repeated keys deduped by the server, ${server.applied.size} keys applied once each; ` +
        `${graphqlErrors} GraphQL errors while waiting`,
    );
  }, 180_000);
});
