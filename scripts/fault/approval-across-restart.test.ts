import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { waitFor } from '../stack/ports.ts';
import { graphqlClient } from '../test-env/graphql-client.ts';
import { approvalWorkflow } from './approval-workflows.ts';
import { type FaultEnvironment, startFaultEnvironment } from './fault-environment.ts';

/**
 * Issue 4, fault test 4: one run waits for approval, then on a 2-minute timer, and loses its worker
 * (SIGKILL) in each wait: killed while waiting for the approval, a new worker takes the decision;
 * killed during the timer, another new worker wakes the run when the timer fires. The run completes
 * with the decision and the full wait. Nothing of the run lived in a worker's memory.
 */

const WAIT = '2m';
const WAIT_MS = 120_000;

let env: FaultEnvironment | undefined;

beforeAll(async () => {
  env = await startFaultEnvironment({
    temporalBin: inject('temporalBin'),
    postgresUrl: inject('postgresUrl'),
    name: 'fault-approval-restart',
    // Unused here (no charge or wait runs from fault-workflows.ts).
    answerAfterMs: 0,
    waitFor: '1s',
  });
});

afterAll(async () => env?.stop());

describe('a run waiting for approval and then a 2-minute timer, its worker killed in each wait', () => {
  it('takes the approval on a new worker, survives a second kill during the timer and completes', async () => {
    const stack = env as FaultEnvironment;
    onTestFailed(() => console.log(stack.logs.slice(-80).join('\n')));
    const { controlPlane } = stack;
    const graphql = graphqlClient(controlPlane.url, controlPlane.apiKey);
    const workflow = approvalWorkflow('fault-approval-then-wait', { waitAfter: WAIT });
    await controlPlane.pushWorkflow(workflow);

    const worker1 = await stack.startWorker('worker-1');
    const runId = await controlPlane.startRun(workflow.name, { order: 'A-7' });
    await waitFor('the gate waiting', 60_000, async () =>
      (await controlPlane.getRun(runId)).nodes.gate?.status === 'waiting' ? true : undefined,
    );
    await worker1.kill('SIGKILL');
    expect(await worker1.exited).toBe('SIGKILL');

    // The decision is an update: its validator runs on whichever worker holds the run now.
    const worker2 = await stack.startWorker('worker-2');
    // Right after a crash Temporal still routes the run's tasks to the dead worker's sticky queue
    // until its schedule-to-start timeout: the control plane answers FF_UNAVAILABLE, a person retries.
    let unavailable = 0;
    await waitFor('the approval accepted', 60_000, async () => {
      try {
        await graphql('mutation ($r: ID!, $c: String) { approve(runId: $r, comment: $c) { runId } }', {
          r: runId,
          c: 'approved on worker-2',
        });
        return true;
      } catch (error) {
        if (!String(error).includes('FF_UNAVAILABLE')) throw error;
        unavailable += 1;
        return undefined;
      }
    });
    let waitingUntil = '';
    await waitFor('the 2-minute timer', 60_000, async () => {
      const pause = (await controlPlane.getRun(runId)).nodes.pause as { status: string; waiting?: { until?: string } };
      waitingUntil = pause?.waiting?.until ?? '';
      return pause?.status === 'waiting' ? true : undefined;
    });
    await worker2.kill('SIGKILL');
    expect(await worker2.exited).toBe('SIGKILL');
    const killedInTimerAt = Date.now();

    const worker3 = await stack.startWorker('worker-3');
    const { results, graphqlErrors } = await stack.awaitRuns([runId], WAIT_MS + 60_000);
    const completedSeenAt = Date.now();
    const run = results[0] as (typeof results)[number] & {
      nodes: Record<string, { output?: Record<string, Array<{ json: Record<string, unknown> }>> }>;
    };
    expect(run.status).toBe('COMPLETED');
    const decision = run.nodes.gate?.output?.approved?.[0]?.json;
    expect(decision).toMatchObject({ decision: 'approve', by: 'fault-test', comment: 'approved on worker-2' });
    expect(run.nodes.pause?.status).toBe('succeeded');
    expect(run.nodes.done?.status).toBe('succeeded');
    // The timer was the full two minutes after the decision, not cut short by the restarts.
    const decidedAt = Date.parse(String(decision?.at));
    expect(Date.parse(waitingUntil) - decidedAt).toBeGreaterThanOrEqual(WAIT_MS);
    // Seen COMPLETED only once the timer was due (same clock): the timer fired, nothing skipped it.
    expect(completedSeenAt).toBeGreaterThanOrEqual(Date.parse(waitingUntil));
    expect(worker3.isRunning()).toBe(true);
    console.log(
      `approval-across-restart: 1 run; worker-1 SIGKILLed while the gate waited, worker-2 took the approval ` +
        `(by ${decision?.by}; ${unavailable} FF_UNAVAILABLE answers before, while the run was routed to the dead worker), worker-2 SIGKILLed ${Math.round((Date.parse(waitingUntil) - killedInTimerAt) / 1000)} s ` +
        `before the 2-minute timer was due, worker-3 completed the run (pause ${run.nodes.pause?.status}, ` +
        `timer due ${Date.parse(waitingUntil) - decidedAt} ms after the decision); ${graphqlErrors} GraphQL errors`,
    );
  }, 300_000);
});
