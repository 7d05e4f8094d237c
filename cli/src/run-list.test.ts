import { describe, expect, it } from 'vitest';
import { formatRunList, type RunSummary, runSummaryJson, triggerText } from './run-list.ts';

const finished: RunSummary = {
  runId: 'run-2',
  status: 'COMPLETED',
  workflow: { name: 'hello', version: 3 },
  trigger: { kind: 'retry', by: 'admin', retryOf: 'run-1' },
  startedAt: '2026-12-01T08:00:01.000Z',
  finishedAt: '2026-12-01T08:00:02.000Z',
};
const running: RunSummary = {
  runId: 'run-1',
  status: 'RUNNING',
  workflow: { name: 'order-approval', version: 1 },
  trigger: { kind: 'manual', by: 'admin' },
  startedAt: '2026-12-01T08:00:00.000Z',
};

describe('runs list output', () => {
  it('prints a table with a header, full run ids and aligned columns', () => {
    const lines = formatRunList([finished, running]).split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STATUS\s+WORKFLOW\s+TRIGGER\s+STARTED\s+FINISHED$/);
    expect(lines[1]).toMatch(
      /^run-2\s+COMPLETED\s+hello v3\s+retry of run-1 by admin\s+2026-12-01T08:00:01.000Z\s+2026-12-01T08:00:02.000Z$/,
    );
    expect(lines[2]).toMatch(/^run-1\s+RUNNING\s+order-approval v1\s+manual by admin\s+2026-12-01T08:00:00.000Z$/);
    expect(lines[1]?.indexOf('COMPLETED')).toBe(lines[2]?.indexOf('RUNNING'));
  });

  it('says how to start a run when there is none', () => {
    expect(formatRunList([])).toBe('no runs yet: flowforge run <workflow>');
    expect(formatRunList([], 'hello')).toBe('no runs of workflow "hello" yet: flowforge run hello');
  });

  it('names each kind of trigger and where it came from', () => {
    expect(triggerText({ kind: 'subworkflow', parentRun: 'run-p' })).toBe('child of run-p');
    expect(triggerText({ kind: 'error', parentRun: 'run-p' })).toBe('error run of run-p');
    expect(triggerText({ kind: 'webhook' })).toBe('webhook');
  });

  it('--json leaves finishedAt out while the run runs, in the documented key order', () => {
    expect(Object.keys(runSummaryJson(running))).toEqual(['runId', 'status', 'workflow', 'trigger', 'startedAt']);
    expect(runSummaryJson(finished).finishedAt).toBe('2026-12-01T08:00:02.000Z');
  });
});
