import { type RunDagInput, WORKFLOW_NAME_KEY } from '@flowforge/connectors-sdk/contract';
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';
import {
  eventually,
  pushAndActivate,
  runsOf,
  runView,
  scheduledWorkflow,
  schedulesOf,
  type TemporalForTests,
  temporalClient,
} from './support/triggers.ts';

/**
 * Schedules on the real stack (issue 13): activation makes a Temporal Schedule per trigger.schedule
 * node, its runs are signed, verified and show as the schedule's; pause, resume, trigger; switching
 * versions updates it; deactivation deletes it. Runs are asserted to appear, never to be on time.
 */
let stack: LocalStack;
let temporal: TemporalForTests;
beforeAll(async () => {
  stack = await startTestStack();
  temporal = await temporalClient(inject('temporalAddress'));
});
afterAll(async () => {
  await temporal?.close();
  await stack?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('schedules', () => {
  it('activation makes a Temporal Schedule with the spec, policies and a signed start of the active version', async () => {
    const name = uniqueName('sched-cron');
    const params = {
      cron: ['0 9 * * 1-5', '30 17 * * *'],
      timezone: 'Europe/Berlin',
      overlap: 'bufferOne',
      catchupWindow: '10m',
    };
    await pushAndActivate(stack, scheduledWorkflow(name, params));

    const [listed, ...more] = await schedulesOf(stack, name);
    expect(more).toEqual([]);
    expect(listed).toMatchObject({ workflow: name, version: 1, nodeId: 'clock', spec: params, paused: false });
    expect(listed?.nextRuns.length).toBeGreaterThan(0);
    for (const time of listed?.nextRuns ?? []) expect(time).toMatch(ISO);
    // 09:00 or 17:30 in Berlin: 07/08 or 15/16 UTC, never another minute.
    expect(new Date(listed?.nextRuns[0] ?? '').getUTCMinutes()).toBeOneOf([0, 30]);

    const described = await temporal.describe(listed?.scheduleId ?? '');
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.spec.calendars?.length).toBe(2);
    expect(described.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 600_000 });
    expect(described.action).toMatchObject({ workflowType: 'runDag', taskQueue: stack.taskQueue });
    expect(described.memo).toEqual({ flowforge: { workflow: name, nodeId: 'clock' } });
    expect(described.typedSearchAttributes.get(WORKFLOW_NAME_KEY)).toBe(name);
    const input = described.action.args?.[0] as RunDagInput;
    expect(described.action.workflowId).toBe(input.signed.request.runId);
    expect(input.workflow).toEqual({ name, version: 1 });
    expect(input.input).toBeNull();
    expect(input.signed.request.trigger).toMatchObject({
      kind: 'schedule',
      schedule: { id: listed?.scheduleId, nodeId: 'clock', timezone: 'Europe/Berlin' },
    });
  });

  it('schedules trigger runs the workflow now, to COMPLETED, with the trigger item, as a run of the schedule', async () => {
    const name = uniqueName('sched-now');
    await pushAndActivate(stack, scheduledWorkflow(name, { cron: '0 0 1 1 *', timezone: 'America/New_York' }));
    const { triggerSchedule } = await stack.graphql<{ triggerSchedule: Array<{ runId: string | null }> }>(
      'mutation ($w: String!) { triggerSchedule(workflow: $w) { workflow version nodeId runId } }',
      { w: name },
    );
    expect(triggerSchedule).toHaveLength(1);
    const runId = triggerSchedule[0]?.runId ?? '';
    expect(runId).toMatch(/-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const run = await runView(stack, runId, 30);
    expect(run.status).toBe('COMPLETED');
    const item = run.nodes.clock?.output.main;
    expect(item).toEqual([
      {
        json: {
          scheduledAt: expect.stringMatching(ISO),
          firedAt: expect.stringMatching(ISO),
          timezone: 'America/New_York',
        },
      },
    ]);
    const { scheduledAt, firedAt } = (item as Array<{ json: { scheduledAt: string; firedAt: string } }>)[0]?.json ?? {};
    expect(Math.abs(Date.parse(firedAt ?? '') - Date.parse(scheduledAt ?? ''))).toBeLessThan(60_000);
    expect(run.nodes.stamp?.output.main).toMatchObject([{ json: { greeting: 'tick', at: scheduledAt } }]);
    expect(run.trigger).toMatchObject({ kind: 'schedule', schedule: { nodeId: 'clock' }, scheduledAt });

    const runs = await runsOf(stack, name);
    expect(runs.map((listed) => [listed.runId, listed.trigger?.kind])).toEqual([[runId, 'schedule']]);
  });

  it('an every schedule fires by itself; pause stops it (paused in the list), resume starts it again', async () => {
    const name = uniqueName('sched-every');
    await pushAndActivate(stack, scheduledWorkflow(name, { every: '2s' }));
    const [schedule] = await schedulesOf(stack, name);
    const scheduleId = schedule?.scheduleId ?? '';
    expect((await temporal.describe(scheduleId)).spec.intervals).toMatchObject([{ every: 2000 }]);

    const fired = await eventually(
      () => runsOf(stack, name),
      (runs) => runs.filter((run) => run.status === 'COMPLETED').length >= 2,
      40_000,
    );
    for (const run of fired) expect(run.trigger?.kind).toBe('schedule');

    await stack.graphql('mutation ($w: String!) { pauseSchedule(workflow: $w, note: "maintenance") { paused } }', {
      w: name,
    });
    expect((await schedulesOf(stack, name))[0]?.paused).toBe(true);
    expect((await temporal.describe(scheduleId)).state).toMatchObject({ paused: true, note: 'maintenance' });
    // A run may have been on its way when the pause landed: count once things are quiet.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const actionsWhenPaused = (await temporal.describe(scheduleId)).info.numActionsTaken;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect((await temporal.describe(scheduleId)).info.numActionsTaken).toBe(actionsWhenPaused);

    await stack.graphql('mutation ($w: String!) { resumeSchedule(workflow: $w) { paused } }', { w: name });
    expect((await schedulesOf(stack, name))[0]?.paused).toBe(false);
    await eventually(
      () => temporal.describe(scheduleId),
      (described) => described.info.numActionsTaken > actionsWhenPaused,
      20_000,
    );

    await stack.graphql('mutation ($n: String!) { deactivateWorkflow(name: $n) { activeVersion } }', { n: name });
    await expect(temporal.describe(scheduleId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await schedulesOf(stack, name)).toEqual([]);
  });

  it('activating another version updates the schedule; a version without the node deletes it', async () => {
    const name = uniqueName('sched-switch');
    await pushAndActivate(stack, scheduledWorkflow(name, { cron: '0 6 * * *' }, 'v1'));
    const [first] = await schedulesOf(stack, name);
    await pushAndActivate(stack, scheduledWorkflow(name, { every: '1h', overlap: 'allowAll' }, 'v2'));

    const [second] = await schedulesOf(stack, name);
    expect(second).toMatchObject({
      version: 2,
      scheduleId: first?.scheduleId,
      spec: { every: '1h', overlap: 'allowAll' },
    });
    const described = await temporal.describe(first?.scheduleId ?? '');
    expect(described.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
    expect(described.spec.calendars).toEqual([]);
    expect(described.policies.overlap).toBe('ALLOW_ALL');
    const input = described.action.args?.[0] as RunDagInput;
    expect(input.workflow.version).toBe(2);
    expect(described.action.workflowId).toBe(input.signed.request.runId);
    expect(input.signed.request.runId).toContain('.v2.');

    // Rollback to v1 is an activation too.
    await pushAndActivate(stack, scheduledWorkflow(name, { cron: '0 6 * * *' }, 'v1'), 1);
    expect((await schedulesOf(stack, name))[0]).toMatchObject({ version: 1, spec: { cron: '0 6 * * *' } });

    const manual = {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'stamp', type: 'core.set', params: { values: { greeting: 'v3' } } },
      ],
      edges: [{ from: 'start', to: 'stamp' }],
    };
    await pushAndActivate(stack, manual);
    await expect(temporal.describe(first?.scheduleId ?? '')).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('pause, resume and trigger of a workflow without schedules say why (FF_NOT_FOUND)', async () => {
    const inactive = uniqueName('sched-off');
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: scheduledWorkflow(inactive, { every: '1h' }),
    });
    await expect(
      stack.graphql('mutation ($w: String!) { triggerSchedule(workflow: $w) { runId } }', { w: inactive }),
    ).rejects.toThrow(`FF_NOT_FOUND: workflow "${inactive}" is not active, so it has no schedules`);
    await expect(
      stack.graphql('mutation ($w: String!) { pauseSchedule(workflow: $w) { paused } }', { w: uniqueName('nope') }),
    ).rejects.toThrow(/FF_NOT_FOUND: no workflow named/);
  });
});
