import { describe, expect, it } from 'vitest';
import {
  effectiveLevel,
  isLastLevel,
  levelAfter,
  mayPreempt,
  pickNext,
  quantumMs,
  RunServiceLedger,
  type SchedulingPolicy,
  type WaitingJob,
} from './sandbox-scheduler.ts';

const policy: SchedulingPolicy = { firstQuantumMs: 10, quantumGrowth: 4, serviceHalfLifeMs: 10_000, agingMs: 2_000 };
const job = (runId: string, seq: number, extra: Partial<WaitingJob> = {}): WaitingJob => ({
  runId,
  seq,
  level: 0,
  queuedAt: 0,
  ...extra,
});

describe('quanta', () => {
  it('grow by the policy per level and end at the evaluation budget, the last level', () => {
    expect([0, 1, 2, 3, 4].map((level) => quantumMs(policy, level, 1_000))).toEqual([10, 40, 160, 640, 1_000]);
    expect(isLastLevel(policy, 3, 1_000)).toBe(false);
    expect(isLastLevel(policy, 4, 1_000)).toBe(true);
  });

  it('move a stopped attempt up far enough that its next attempt may run longer than this one did', () => {
    expect(levelAfter(policy, 0, 10_000, 12)).toBe(1);
    // It ran 500 ms alone at level 0 before anyone waited: the next level that allows more is 3 (640 ms).
    expect(levelAfter(policy, 0, 10_000, 500)).toBe(3);
    // Never past the last level.
    expect(levelAfter(policy, 0, 1_000, 5_000)).toBe(4);
  });
});

describe('pickNext', () => {
  it('serves lower levels first, whatever the arrival order', () => {
    const ledger = new RunServiceLedger(policy.serviceHalfLifeMs);
    const waiting = [job('long', 0, { level: 2, queuedAt: 100 }), job('new', 1, { queuedAt: 100 })];
    expect(pickNext(policy, waiting, ledger, 'general', 100)).toBe(1);
  });

  it('within a level, serves the run that used less sandbox time recently, then the earlier arrival', () => {
    const ledger = new RunServiceLedger(policy.serviceHalfLifeMs);
    ledger.charge('busy', 5_000, 0);
    ledger.charge('light', 3, 0);
    const waiting = [job('busy', 0), job('light', 1), job('idle', 2)];
    expect(pickNext(policy, waiting, ledger, 'general', 0)).toBe(2);
    expect(pickNext(policy, waiting.slice(0, 2), ledger, 'general', 0)).toBe(1);
    expect(pickNext(policy, [job('a', 5), job('b', 4)], ledger, 'general', 0)).toBe(1);
  });

  it('gives an express lane only evaluations that never ran past a first quantum', () => {
    const ledger = new RunServiceLedger(policy.serviceHalfLifeMs);
    const waiting = [job('long', 0, { level: 1 })];
    expect(pickNext(policy, waiting, ledger, 'express', 0)).toBe(-1);
    expect(pickNext(policy, waiting, ledger, 'general', 0)).toBe(0);
    // Aging lets a long evaluation overtake on a general lane, but never onto an express lane.
    expect(pickNext(policy, [job('new', 1), job('long', 0, { level: 1 })], ledger, 'express', 10_000)).toBe(0);
  });

  it('ages a waiting evaluation one level per agingMs, so a stream of short ones cannot starve it', () => {
    const ledger = new RunServiceLedger(policy.serviceHalfLifeMs);
    const old = job('long', 0, { level: 3, queuedAt: 0 });
    expect(effectiveLevel(policy, old, 4_100)).toBe(1);
    expect(effectiveLevel(policy, old, 60_000)).toBe(0);
    expect(pickNext(policy, [job('new', 9, { queuedAt: 60_000 }), old], ledger, 'general', 60_000)).toBe(1);
  });
});

describe('RunServiceLedger', () => {
  it('halves a run’s sandbox time every half-life', () => {
    const ledger = new RunServiceLedger(1_000);
    ledger.charge('run', 800, 0);
    ledger.charge('run', 200, 0);
    expect(ledger.of('run', 0)).toBe(1_000);
    expect(ledger.of('run', 1_000)).toBeCloseTo(500);
    expect(ledger.of('unknown', 0)).toBe(0);
  });
});

describe('mayPreempt', () => {
  const running = (level: number, elapsedMs: number, budgetMs = 1_000) => ({ level, elapsedMs, budgetMs });

  it('lets a waiting evaluation at the same level or below take a lane held past its quantum', () => {
    expect(mayPreempt(policy, running(0, 11), 0)).toBe(true);
    expect(mayPreempt(policy, running(2, 200), 1)).toBe(true);
  });

  it('never before the quantum is up, and never for an evaluation that has been given more', () => {
    expect(mayPreempt(policy, running(0, 9), 0)).toBe(false);
    expect(mayPreempt(policy, running(0, 500), 1)).toBe(false);
  });

  it('never stops an attempt on its last level: that one gets its whole time limit', () => {
    expect(mayPreempt(policy, running(4, 999), 0)).toBe(false);
  });
});
