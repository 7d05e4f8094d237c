import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { countBy } from './count-by.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';
import { chargeKey } from './fault-workflows.ts';

/**
 * Issue 4, fault test 2: the Temporal dev server (its whole process group) is killed with SIGKILL
 * in the middle of runs and started again on the same SQLite file and port. Every run resumes and
 * completes; the worker process and the control plane's client reconnect on their own. If a worker
 * died with the server, it is started again, as npm start's supervisor would, and the test says so.
 */

const CHARGE_RUNS = 10;
const WAIT_RUNS = 10;
/** Long enough for the HTTP answers (8 s) and the timers (10 s) to fall due while the server is gone. */
const DOWN_FOR_MS = 8000;

let env: FaultEnvironment | undefined;

beforeAll(async () => {
  env = await startFaultEnvironment({
    temporalBin: inject('temporalBin'),
    postgresUrl: inject('postgresUrl'),
    name: 'fault-temporal',
    answerAfterMs: 8000,
    waitFor: '10s',
  });
});

afterAll(async () => env?.stop());

describe('the Temporal dev server killed with SIGKILL in the middle of runs', () => {
  it('every run resumes and completes after it starts again on the same SQLite file', async () => {
    const { server, temporal, ...stack } = env as FaultEnvironment;
    onTestFailed(() => console.log(stack.logs.slice(-120).join('\n')));
    let worker = await stack.startWorker('worker-1');

    const started = Date.now();
    const { chargeRuns, waitRuns } = await stack.startRuns(CHARGE_RUNS, WAIT_RUNS);
    await stack.untilInFlight(chargeRuns, waitRuns);
    // The control plane is already waiting on every run (GraphQL long polls) when the server dies.
    const waiting = stack.awaitRuns([...chargeRuns, ...waitRuns], 120_000);
    await delay(500);

    const killedAt = Date.now() - started;
    await temporal.kill();
    await delay(DOWN_FOR_MS);
    await temporal.restart();
    const restartedAt = Date.now() - started;

    // npm start's supervisor restarts a dead worker: do the same, and count it.
    const workerDeaths: string[] = [];
    let finished = false;
    const supervise = (async () => {
      for (let n = 2; ; n++) {
        const how = await Promise.race([
          worker.exited,
          waiting.then(
            () => undefined,
            () => undefined,
          ),
        ]);
        if (how === undefined || finished) return;
        workerDeaths.push(`${worker.name}: ${how}`);
        worker = await stack.startWorker(`worker-${n}`);
      }
    })();
    const { results, graphqlErrors } = await waiting;
    finished = true;
    await supervise;
    const doneAt = Date.now() - started;

    expect(results.filter((run) => run.status !== 'COMPLETED')).toEqual([]);
    const chargeResults = results.slice(0, CHARGE_RUNS);
    expect(countBy(chargeResults.map((run) => run.nodes.charge?.status))).toEqual({ succeeded: CHARGE_RUNS });
    expect(countBy(results.slice(CHARGE_RUNS).map((run) => run.nodes.pause?.status))).toEqual({ succeeded: WAIT_RUNS });
    expect([...server.applied.keys()].sort()).toEqual(chargeRuns.map(chargeKey).sort());
    expect([...server.applied.values()].every((count) => count === 1)).toBe(true);

    const attempts = countBy(chargeResults.map((run) => run.nodes.charge?.attempts));
    const repeats = [...server.repeats.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `temporal-crash: ${results.length} runs (${CHARGE_RUNS} charge, ${WAIT_RUNS} wait) all COMPLETED; ` +
        `Temporal SIGKILLed at ${killedAt} ms, up again at ${restartedAt} ms (down ${DOWN_FOR_MS} ms + start-up), ` +
        `all done at ${doneAt} ms; worker deaths: ${workerDeaths.length ? workerDeaths.join(', ') : 'none (worker-1 reconnected)'}; ` +
        `charge attempts ${JSON.stringify(attempts)} (attempts: runs), ${repeats} repeated keys deduped, ${server.applied.size} keys applied once each; ` +
        `${graphqlErrors} GraphQL errors while the control plane waited; ` +
        `${stack.logs.filter((line) => line.includes('[worker') && line.includes('retried')).length} gRPC retry warnings from workers`,
    );
  }, 180_000);
});
