import { readdirSync } from 'node:fs';
import {
  RUN_DAG_WORKFLOW,
  type RunDagInput,
  SCHEDULED_BY_ID_KEY,
  SCHEDULED_START_TIME_KEY,
} from '@flowforge/connectors-sdk/contract';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { replayRecorded, replayRun } from '../../workers/test/support/history-replay.ts';
import { runFailure, scheduledActivities } from '../../workers/test/support/test-runs.ts';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, sharedWorkflowBundle, startTestStack } from '../test-env/local-stack.ts';
import {
  eventually,
  pushAndActivate,
  runView,
  scheduledWorkflow,
  schedulesOf,
  type TemporalForTests,
  temporalClient,
} from './support/triggers.ts';

/**
 * A schedule's signed request is the same for all its runs and anyone who can read Temporal can
 * copy it (from the schedule or a run's history). These tests take that copy and start runDag with
 * it from a plain Temporal client, on the stack's task queue, with ids and search attributes made to
 * look like the schedule's: the worker must refuse every one before any node runs.
 */
/** Runs a schedule started, recorded with FLOWFORGE_RECORD_HISTORIES=1: they must keep replaying. */
const histories = new URL('../../workers/test/scheduled-run-histories/', import.meta.url).pathname;
let stack: LocalStack;
let temporal: TemporalForTests;
let scheduleId: string;
let copied: RunDagInput;
let prefix: string;

beforeAll(async () => {
  stack = await startTestStack();
  temporal = await temporalClient(inject('temporalAddress'));
  const name = uniqueName('sched-forged');
  // Once a year: the schedule itself starts nothing while the tests run.
  await pushAndActivate(stack, scheduledWorkflow(name, { cron: '0 0 1 1 *' }));
  scheduleId = (await schedulesOf(stack, name))[0]?.scheduleId ?? '';
  copied = (await temporal.describe(scheduleId)).action.args?.[0] as RunDagInput;
  prefix = copied.signed.request.runId;
});
afterAll(async () => {
  await temporal?.close();
  await stack?.stop();
});

function startForged(workflowId: string, attributes?: { by: string; at: Date }) {
  return temporal.client.workflow.start(RUN_DAG_WORKFLOW, {
    args: [copied],
    workflowId,
    taskQueue: stack.taskQueue,
    ...(attributes
      ? {
          typedSearchAttributes: [
            { key: SCHEDULED_BY_ID_KEY, value: attributes.by },
            { key: SCHEDULED_START_TIME_KEY, value: attributes.at },
          ],
        }
      : {}),
  });
}

async function expectRefused(handle: WorkflowHandle, message: string) {
  const failure = await runFailure(handle);
  expect(failure.type, failure.message).toBe('FF_RUN_SIGNATURE');
  expect(failure.message).toContain(message);
  expect(await scheduledActivities(handle)).toEqual([]);
}

describe('runs of a schedule that no schedule started', () => {
  it('the dev server lets a plain client set TemporalScheduledById and TemporalScheduledStartTime', async () => {
    // The reason the worker also asks the schedule itself: these attributes prove nothing alone.
    const handle = await temporal.client.workflow.start('noSuchWorkflowType', {
      workflowId: uniqueName('sa-forgery'),
      taskQueue: uniqueName('nobody-polls'),
      typedSearchAttributes: [
        { key: SCHEDULED_BY_ID_KEY, value: 'some-schedule' },
        { key: SCHEDULED_START_TIME_KEY, value: new Date('2026-01-01T00:00:00Z') },
      ],
    });
    try {
      const attributes = (await handle.describe()).typedSearchAttributes;
      expect(attributes.get(SCHEDULED_BY_ID_KEY)).toBe('some-schedule');
      expect(attributes.get(SCHEDULED_START_TIME_KEY)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    } finally {
      await handle.terminate('test done');
    }
  });

  it('a copied request under a schedule-like id is refused: Temporal did not start it for the schedule', async () => {
    const handle = await startForged(`${prefix}-2026-01-01T00:00:00Z`);
    await expectRefused(handle, `for schedule "${scheduleId}" (TemporalScheduledById is not set)`);
  });

  it('with forged TemporalScheduled* attributes too, it is refused: the schedule does not list the run', async () => {
    const handle = await startForged(`${prefix}-2026-01-02T00:00:00Z`, {
      by: scheduleId,
      at: new Date('2026-01-02T00:00:00Z'),
    });
    await expectRefused(handle, `schedule "${scheduleId}" does not list`);
    // The control plane shows it as what it is: a failed run that claimed to be the schedule's.
    const view = await runView(stack, handle.workflowId);
    expect(view).toMatchObject({ status: 'FAILED', error: { code: 'FF_RUN_SIGNATURE' } });
  });

  it('under the bare action id, or a time that is not the scheduled one, it is refused', async () => {
    await expectRefused(await startForged(prefix), 'it was signed for the runs of schedule');
    const mismatched = await startForged(`${prefix}-2026-01-03T00:00:00Z`, {
      by: scheduleId,
      at: new Date('2026-01-04T00:00:00Z'),
    });
    await expectRefused(mismatched, 'is not the time in its id');
  });

  it("a run the schedule did start runs, and its history replays with today's workflow code", async () => {
    await temporal.client.schedule.getHandle(scheduleId).trigger();
    const described = await eventually(
      () => temporal.describe(scheduleId),
      (schedule) => schedule.info.recentActions.length === 1,
      15_000,
    );
    const runId = described.info.recentActions[0]?.action.workflow.workflowId ?? '';
    const handle = temporal.client.workflow.getHandle(runId);
    await handle.result();
    expect(await scheduledActivities(handle)).toEqual(['executeNode', 'executeNode']);
    await replayRun({ bundle: await sharedWorkflowBundle() }, handle, histories, 'triggered');
  });

  it.each(readdirSync(histories).filter((file) => file.endsWith('.json')))(
    "the recorded scheduled run %s replays with today's workflow code",
    async (file) => {
      await replayRecorded({ bundle: await sharedWorkflowBundle() }, histories, file);
    },
  );
});
