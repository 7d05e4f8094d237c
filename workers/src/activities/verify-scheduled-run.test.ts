import type { RunRequest } from '@flowforge/connectors-sdk/run-request';
import { describe, expect, it } from 'vitest';
import type { ExecutionFacts } from './contract.ts';
import { type ScheduleRecords, verifyScheduledRun } from './verify-scheduled-run.ts';

const HASH = `sha256:${'0'.repeat(64)}`;
const request: RunRequest = {
  runId: 'run-nightly.clock.v2.abcd1234',
  versionId: 'version-2',
  dagHash: HASH,
  inputHash: HASH,
  trigger: {
    kind: 'schedule',
    schedule: { id: 'flowforge:p:nightly:clock', nodeId: 'clock', timezone: 'Europe/Berlin' },
  },
  issuedAt: '2026-12-01T08:00:00.000Z',
};
const workflowId = `${request.runId}-2026-12-01T09:00:00Z`;
const facts: ExecutionFacts = {
  firstExecutionRunId: 'first-run',
  startTime: '2026-12-01T09:00:00.120Z',
  scheduledById: 'flowforge:p:nightly:clock',
  scheduledStartTime: '2026-12-01T09:00:00.000Z',
};

function records(...answers: Array<Awaited<ReturnType<ScheduleRecords>>>) {
  const calls: Array<Parameters<ScheduleRecords>> = [];
  const lookup: ScheduleRecords = async (...args) => {
    calls.push(args);
    return answers[Math.min(calls.length - 1, answers.length - 1)] ?? 'not-listed';
  };
  return { lookup, calls };
}

const verify = (overrides: Partial<ExecutionFacts>, lookup: ScheduleRecords, id = workflowId, waitMs = 200) =>
  verifyScheduledRun(request, { workflowId: id, execution: { ...facts, ...overrides } }, { records: lookup, waitMs });

describe('verifyScheduledRun', () => {
  it('gives the trigger item of a run its schedule lists, looked up by workflow id and first run id', async () => {
    const { lookup, calls } = records('started');
    await expect(verify({}, lookup)).resolves.toEqual({
      scheduledAt: '2026-12-01T09:00:00.000Z',
      firedAt: '2026-12-01T09:00:00.120Z',
      timezone: 'Europe/Berlin',
    });
    expect(calls).toEqual([['flowforge:p:nightly:clock', { workflowId, firstExecutionRunId: 'first-run' }]]);
  });

  it('looks again while the schedule does not list the run yet', async () => {
    const { lookup, calls } = records('not-listed', 'not-listed', 'started');
    await expect(verify({}, lookup, workflowId, 2000)).resolves.toMatchObject({ timezone: 'Europe/Berlin' });
    expect(calls).toHaveLength(3);
  });

  it('refuses a run the schedule never lists, and one whose schedule is gone', async () => {
    await expect(verify({}, records('not-listed').lookup)).rejects.toMatchObject({
      code: 'FF_RUN_SIGNATURE',
      message: expect.stringContaining('does not list'),
    });
    await expect(verify({}, records('no-schedule').lookup)).rejects.toThrow(/does not exist/);
  });

  it('checks a continued execution (continue-as-new) by its id and attributes only', async () => {
    const { lookup, calls } = records('not-listed');
    await expect(verify({ continuedFromExecutionRunId: 'first-run' }, lookup)).resolves.toBeDefined();
    expect(calls).toEqual([]);
  });

  it('refuses ids, attributes and times that do not fit the signed schedule, without asking Temporal', async () => {
    const { lookup, calls } = records('started');
    await expect(verify({}, lookup, request.runId)).rejects.toThrow(/signed for the runs of schedule/);
    await expect(verify({}, lookup, `${request.runId}-tomorrow`)).rejects.toThrow(/signed for the runs of schedule/);
    await expect(verify({ scheduledById: undefined }, lookup)).rejects.toThrow(/TemporalScheduledById is not set/);
    await expect(verify({ scheduledById: 'other' }, lookup)).rejects.toThrow(/TemporalScheduledById is "other"/);
    await expect(verify({ scheduledStartTime: '2026-12-01T09:00:01.000Z' }, lookup)).rejects.toThrow(
      /is not the time in its id/,
    );
    const unnamed = { ...request, trigger: { kind: 'schedule' as const } };
    await expect(verifyScheduledRun(unnamed, { workflowId, execution: facts }, { records: lookup })).rejects.toThrow(
      /names no schedule/,
    );
    expect(calls).toEqual([]);
  });
});
