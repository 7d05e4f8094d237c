/**
 * Who gets the next sandbox lane, and when a running evaluation must give its lane up: plain
 * functions over plain data (sandbox-pool.ts wires them to isolates and timers).
 *
 * V8 cannot pause a script, only stop it, and an evaluation has no effect outside its own fresh
 * context, so "preempting" one means stopping it and running it again from the start later. The
 * policy is a multilevel feedback queue with restarts:
 *
 * - Every evaluation starts at level 0. At level L it may keep its lane for `quantumMs(L)`
 *   (10 ms, then 4 times more per level) however busy the sandbox is; past that, a waiting
 *   evaluation at level L or below takes the lane and the running one goes back to the queue one
 *   level (or more: see `levelAfter`) up. The last level's quantum is the evaluation's own time
 *   limit, so the last attempt always gets all of it and is never stopped early: a CPU-bound job
 *   that needs t ms finishes at the latest on the first level whose quantum exceeds t, after less
 *   than 1/3 of that in stopped attempts (4x per level), and only while others wait.
 * - Waiting evaluations are served by level, then by the sandbox time their run used recently
 *   (`RunServiceLedger`, halved every 10 s), then in arrival order. So a run that has used little
 *   sandbox time is never queued behind one that used a lot, whatever order they arrived in.
 * - Level-0 evaluations have a lane of their own kind (express): nothing that already ran past its
 *   first quantum can hold it, so a new evaluation waits at most for the level-0 evaluations
 *   ahead of it, each of which gives the lane up after 10 ms.
 * - A waiting evaluation ages: every `agingMs` waited counts as one level less, so a long one
 *   under a steady stream of short ones still runs (on a general lane).
 */
export interface SchedulingPolicy {
  firstQuantumMs: number;
  quantumGrowth: number;
  serviceHalfLifeMs: number;
  agingMs: number;
}

export const DEFAULT_POLICY: SchedulingPolicy = {
  firstQuantumMs: 10,
  quantumGrowth: 4,
  serviceHalfLifeMs: 10_000,
  agingMs: 2_000,
};

export type LaneKind = 'general' | 'express';

/** What the policy needs to know about a waiting evaluation. */
export interface WaitingJob {
  runId: string;
  level: number;
  /** Arrival order; kept across restarts, so a restarted evaluation keeps its place among equals. */
  seq: number;
  /** performance.now() when it (re)entered the queue. */
  queuedAt: number;
}

/** What the policy needs to know about a running attempt. */
export interface RunningJob {
  level: number;
  budgetMs: number;
  elapsedMs: number;
}

/** How long an attempt at `level` keeps its lane for sure: the budget itself on the last level. */
export function quantumMs(policy: SchedulingPolicy, level: number, budgetMs: number): number {
  return Math.min(policy.firstQuantumMs * policy.quantumGrowth ** level, budgetMs);
}

export function isLastLevel(policy: SchedulingPolicy, level: number, budgetMs: number): boolean {
  return quantumMs(policy, level, budgetMs) >= budgetMs;
}

/**
 * The level of an attempt stopped after `elapsedMs`: above its own, and high enough that the next
 * attempt may run longer than this one did (it ran alone past its quantum when nobody waited).
 */
export function levelAfter(policy: SchedulingPolicy, level: number, budgetMs: number, elapsedMs: number): number {
  let next = level + 1;
  while (!isLastLevel(policy, next, budgetMs) && quantumMs(policy, next, budgetMs) <= elapsedMs) next += 1;
  return next;
}

/** The level a waiting evaluation is served at: its own, less one per `agingMs` it has waited. */
export function effectiveLevel(policy: SchedulingPolicy, job: WaitingJob, now: number): number {
  return Math.max(0, job.level - Math.floor((now - job.queuedAt) / policy.agingMs));
}

/** Sandbox time per run, decaying: what "a run that has used a lot" means. */
export class RunServiceLedger {
  readonly #halfLifeMs: number;
  readonly #entries = new Map<string, { ms: number; at: number }>();
  #chargesSinceForget = 0;

  constructor(halfLifeMs: number) {
    this.#halfLifeMs = halfLifeMs;
  }

  of(runId: string, now: number): number {
    const entry = this.#entries.get(runId);
    return entry ? entry.ms * 0.5 ** ((now - entry.at) / this.#halfLifeMs) : 0;
  }

  charge(runId: string, ms: number, now: number): void {
    this.#entries.set(runId, { ms: this.of(runId, now) + ms, at: now });
    if (this.#entries.size > 1_000 && ++this.#chargesSinceForget > 256) this.#forget(now);
  }

  /** Runs whose time has decayed to nothing are dropped, so the ledger stays as small as the set of busy runs. */
  #forget(now: number): void {
    this.#chargesSinceForget = 0;
    for (const [runId] of this.#entries) if (this.of(runId, now) < 1) this.#entries.delete(runId);
  }
}

/** The index in `waiting` of the evaluation a free lane of `kind` should run next, or -1. */
export function pickNext(
  policy: SchedulingPolicy,
  waiting: readonly WaitingJob[],
  ledger: RunServiceLedger,
  kind: LaneKind,
  now: number,
): number {
  let best = -1;
  let bestKey: [number, number, number] | undefined;
  waiting.forEach((job, index) => {
    const level = effectiveLevel(policy, job, now);
    if (kind === 'express' && job.level !== 0) return;
    const key: [number, number, number] = [level, ledger.of(job.runId, now), job.seq];
    if (!bestKey || compareKeys(key, bestKey) < 0) [best, bestKey] = [index, key];
  });
  return best;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] as number) - (b[i] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Whether an evaluation waiting at `waitingLevel` may take the lane of `running` now. */
export function mayPreempt(policy: SchedulingPolicy, running: RunningJob, waitingLevel: number): boolean {
  return (
    !isLastLevel(policy, running.level, running.budgetMs) &&
    running.elapsedMs >= quantumMs(policy, running.level, running.budgetMs) &&
    waitingLevel <= running.level
  );
}
