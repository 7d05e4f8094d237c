import { describe, expect, it } from 'vitest';
import { formatRun } from './output.ts';
import type { RunView } from './run-view.ts';

describe('formatRun: loops', () => {
  it("shows a loop node's progress and which iteration a body node's state is from", () => {
    const text = formatRun({
      runId: 'run-1',
      status: 'RUNNING',
      workflow: { name: 'scores', version: 1 },
      nodes: {
        each: {
          status: 'running',
          output: { loop: [{ json: {} }, { json: {} }] },
          attempts: 1,
          loop: { iteration: 3, batches: 5, processed: 4, total: 10 },
        },
        score: { status: 'running', output: {}, attempts: 1, iteration: 3 },
      },
    });
    expect(text).toMatch(/each\s+running.*loop: 2 items {2}\(batch 3 of 5, 4 of 10 items done\)/);
    expect(text).toMatch(/score\s+running\s+1 attempt\s+\(iteration 3\)/);
  });
});

describe('formatRun: child runs and error runs', () => {
  const base: RunView = { runId: 'run-1', status: 'RUNNING', workflow: { name: 'orders', version: 2 }, nodes: {} };

  it('shows a node waiting for its child run, and how to look at it', () => {
    const text = formatRun({
      ...base,
      nodes: {
        call: {
          status: 'waiting',
          output: {},
          attempts: 1,
          childRun: 'run-child',
          waiting: {
            for: 'subworkflow',
            runId: 'run-child',
            workflow: { name: 'child', version: 1 },
            since: '2026-11-23T10:00:00.000Z',
          },
        },
      },
    });
    expect(text).toContain(
      'waiting for child run run-child since 2026-11-23T10:00:00.000Z (flowforge runs show run-child)',
    );
  });

  it("names a finished node's child run and a failed run's error workflow run", () => {
    const text = formatRun({
      ...base,
      status: 'FAILED',
      errorRun: 'run-err',
      nodes: { call: { status: 'succeeded', output: { main: [{ json: {} }] }, attempts: 1, childRun: 'run-child' } },
    });
    expect(text).toMatch(/call\s+succeeded.*\n\s+child run run-child/);
    expect(text).toContain('error workflow started: run run-err (flowforge runs show run-err)');
  });
});
