import { availableParallelism } from 'node:os';
import { Sandbox } from './sandbox.ts';
import { SandboxLostError, sandboxFailureKind } from './sandbox-failure.ts';
import {
  DEFAULT_POLICY,
  effectiveLevel,
  isLastLevel,
  type LaneKind,
  levelAfter,
  mayPreempt,
  pickNext,
  quantumMs,
  RunServiceLedger,
  type SchedulingPolicy,
} from './sandbox-scheduler.ts';

/**
 * Where every expression and Code node evaluation runs (issue 12: one run's memory, CPU or crash
 * must not fail or delay another run's evaluation). A few lanes, each with an isolate of its own
 * that runs ONE evaluation at a time; evaluations wait in one queue ordered by
 * sandbox-scheduler.ts, and one that holds its lane past its quantum while others wait is stopped
 * (its isolate disposed) and run again later. Why this isolates runs:
 *
 * - Memory: each isolate has its own V8 heap and limit, and WebAssembly, resizable buffers and Intl
 *   memory are refused or counted inside it (sandbox-hardening.ts). A breach disposes only the
 *   breaching evaluation's isolate; nothing else was running in it. An isolate that an evaluation
 *   left heavy is replaced before the next one, and a breach on an isolate that had served others
 *   is re-run once on a fresh isolate: only a breach on a fresh isolate fails the node.
 * - CPU: at most `lanes` evaluations run at once (by default as many as there are CPUs), so they do
 *   not starve each other or the worker's own event loop. An endless loop holds a lane only for
 *   its quantum while others wait; the express lane is never held past a first quantum (10 ms).
 * - Time limits: isolated-vm's timeout counts wall time (its `cpuTime` does too, on Linux, as
 *   measured: so neither can tell CPU starvation from work), from when the attempt holds a lane,
 *   never while it waits. Since lanes do not outnumber CPUs, other runs' sandbox work cannot take
 *   a running attempt's CPU; other processes on the machine and the worker's own threads can.
 * - Resets: an evaluation whose isolate was disposed under it for any reason but its own breach
 *   (a preemption, `dispose()` at shutdown) is re-run; a node never sees someone else's reset.
 * - A catastrophe (isolated-vm's onCatastrophicError: V8 could not stop a script, or ran out of
 *   memory outside the limit) loses only that isolate: its lane gets a new one at once.
 *
 * What it does not do: bound the time an evaluation waits when more of them than there are lanes
 * each need more than a quantum (they share the lanes, in level order); or stop the worker's other
 * work (Temporal, HTTP nodes) from competing with the lanes for the CPU.
 */
export interface SandboxJob<T> {
  /** The run the evaluation belongs to: fairness is between runs. */
  runId: string;
  /** The evaluation's own time limit (ms), as its attempt passes it to isolated-vm. */
  budgetMs: number;
  signal?: AbortSignal | undefined;
  /**
   * One attempt in a lane's sandbox. The pool may stop it and call it again from the start in
   * another sandbox, so it must work in fresh contexts and have no effect outside them. It should
   * throw isolated-vm's errors as they are (or as the `cause` of its own): the pool reads them.
   */
  attempt(sandbox: Sandbox): Promise<T>;
}

export interface SandboxPoolOptions {
  memoryLimitMb: number;
  /** Lanes for any evaluation. Default: one less than the CPUs, at least 1. */
  generalLanes?: number;
  /** Lanes only for evaluations still on their first quantum. Default 1. */
  expressLanes?: number;
  policy?: SchedulingPolicy;
}

/** How often one evaluation is re-run after its isolate was reset under it by something else. */
const MAX_RERUNS = 3;
/**
 * An isolate seen holding more than this share of its limit after an evaluation is replaced before
 * a later one: garbage near the limit could make the next evaluation's breach look like its own.
 */
const HEAVY_SHARE = 0.5;

interface Entry {
  job: SandboxJob<unknown>;
  runId: string;
  level: number;
  seq: number;
  queuedAt: number;
  reruns: number;
  needsFreshSandbox: boolean;
  settle(outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void;
}

interface Attempt {
  entry: Entry;
  sandbox: Sandbox;
  startedAt: number;
  fresh: boolean;
  stop: 'preempt' | 'abort' | undefined;
  timer: NodeJS.Timeout | undefined;
}

interface Lane {
  kind: LaneKind;
  sandbox: Sandbox | undefined;
  attempt: Attempt | undefined;
}

type Decision =
  | { requeue: true }
  | { requeue: false; ok: true; value: unknown }
  | { requeue: false; ok: false; error: unknown };

export class SandboxPool {
  readonly memoryLimitMb: number;
  readonly #policy: SchedulingPolicy;
  readonly #lanes: Lane[];
  readonly #waiting: Entry[] = [];
  readonly #ledger: RunServiceLedger;
  #seq = 0;

  constructor(options: SandboxPoolOptions) {
    this.memoryLimitMb = options.memoryLimitMb;
    this.#policy = options.policy ?? DEFAULT_POLICY;
    this.#ledger = new RunServiceLedger(this.#policy.serviceHalfLifeMs);
    const general = options.generalLanes ?? Math.max(1, availableParallelism() - 1);
    const express = options.expressLanes ?? 1;
    // Express lanes first: a new evaluation takes one of those and leaves general lanes to longer ones.
    this.#lanes = [
      ...Array.from({ length: express }, () => ({ kind: 'express' as const, sandbox: undefined, attempt: undefined })),
      ...Array.from({ length: general }, () => ({ kind: 'general' as const, sandbox: undefined, attempt: undefined })),
    ];
  }

  run<T>(job: SandboxJob<T>): Promise<T> {
    const { signal } = job;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => this.#abort(entry);
      const entry: Entry = {
        job,
        runId: job.runId,
        level: 0,
        seq: this.#seq++,
        queuedAt: performance.now(),
        reruns: 0,
        needsFreshSandbox: false,
        settle(outcome) {
          signal?.removeEventListener('abort', onAbort);
          if (outcome.ok) resolve(outcome.value as T);
          else reject(outcome.error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
      this.#dispatch();
    });
  }

  /** Disposes every isolate; evaluations running in them are run again in new ones. */
  dispose(): void {
    for (const lane of this.#lanes) {
      lane.sandbox?.dispose();
      lane.sandbox = undefined;
    }
  }

  /** Fills free lanes from the queue, then lets waiting evaluations take lanes held past their quantum. */
  #dispatch(): void {
    const now = performance.now();
    for (const lane of this.#lanes) {
      if (lane.attempt) continue;
      const index = pickNext(this.#policy, this.#waiting, this.#ledger, lane.kind, now);
      const [entry] = index < 0 ? [] : this.#waiting.splice(index, 1);
      if (entry) this.#start(lane, entry);
    }
    this.#preemptFor(now);
  }

  /**
   * Each waiting evaluation, best first, may stop one attempt that is past its quantum. Only the
   * best few are looked at: no more lanes than that can be freed anyway.
   */
  #preemptFor(now: number): void {
    let stopping = this.#lanes.filter((lane) => lane.attempt?.stop).length;
    const waiting = [...this.#waiting];
    for (let looked = 0; looked < 2 * this.#lanes.length; looked++) {
      const index = pickNext(this.#policy, waiting, this.#ledger, 'general', now);
      const [waiter] = index < 0 ? [] : waiting.splice(index, 1);
      if (!waiter) return;
      if (stopping > 0) {
        stopping -= 1;
        continue;
      }
      const level = effectiveLevel(this.#policy, waiter, now);
      const victim = this.#lanes
        .filter((lane) => lane.kind === 'general' || waiter.level === 0)
        .map((lane) => lane.attempt)
        .filter((attempt): attempt is Attempt => attempt !== undefined && attempt.stop === undefined)
        .filter((attempt) => mayPreempt(this.#policy, running(attempt, now), level))
        // The one that started last loses the least work.
        .sort((a, b) => b.startedAt - a.startedAt)[0];
      if (victim) this.#stop(victim, 'preempt');
    }
  }

  #start(lane: Lane, entry: Entry): void {
    const sandbox = this.#sandboxFor(lane, entry.needsFreshSandbox);
    entry.needsFreshSandbox = false;
    const attempt: Attempt = {
      entry,
      sandbox,
      startedAt: performance.now(),
      fresh: sandbox.isFresh,
      stop: undefined,
      timer: undefined,
    };
    lane.attempt = attempt;
    const { level, job } = entry;
    if (!isLastLevel(this.#policy, level, job.budgetMs)) {
      // When the quantum is up, whoever waits by then may take the lane.
      attempt.timer = setTimeout(() => this.#dispatch(), quantumMs(this.#policy, level, job.budgetMs) + 1);
      attempt.timer.unref();
    }
    Promise.resolve()
      .then(() => job.attempt(sandbox))
      .then(
        (value) => this.#finish(lane, attempt, { ok: true, value }),
        (error: unknown) => this.#finish(lane, attempt, { ok: false, error }),
      );
  }

  /** The lane's sandbox, or a new one when it is gone, heavy, or not fresh and a fresh one is needed. */
  #sandboxFor(lane: Lane, fresh: boolean): Sandbox {
    const current = lane.sandbox;
    if (current && !current.isDisposed && !current.isHeavy && (current.isFresh || !fresh)) return current;
    current?.dispose();
    lane.sandbox = this.#newSandbox(lane);
    return lane.sandbox;
  }

  #newSandbox(lane: Lane): Sandbox {
    const sandbox: Sandbox = new Sandbox({
      memoryLimitMb: this.memoryLimitMb,
      onCatastrophicError: (message) => this.#lost(lane, sandbox, message),
    });
    return sandbox;
  }

  #stop(attempt: Attempt, why: 'preempt' | 'abort'): void {
    attempt.stop = why;
    // The attempt's calls now fail with "Isolate was disposed"; #finish sees why.
    attempt.sandbox.dispose();
  }

  #abort(entry: Entry): void {
    const index = this.#waiting.indexOf(entry);
    if (index >= 0) {
      this.#waiting.splice(index, 1);
      entry.settle({ ok: false, error: entry.job.signal?.reason });
      return;
    }
    const lane = this.#lanes.find((candidate) => candidate.attempt?.entry === entry);
    if (lane?.attempt) this.#stop(lane.attempt, 'abort');
  }

  #finish(lane: Lane, attempt: Attempt, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    // Given up already: the lane went on without it (a catastrophe).
    if (lane.attempt !== attempt) return;
    clearTimeout(attempt.timer);
    lane.attempt = undefined;
    const now = performance.now();
    this.#ledger.charge(attempt.entry.runId, now - attempt.startedAt, now);
    const decision = this.#decide(attempt, outcome, now);
    if (lane.sandbox && !lane.sandbox.isDisposed) lane.sandbox.noteIfHeavy(HEAVY_SHARE);
    this.#settleOrRequeue(attempt.entry, decision, now);
    this.#dispatch();
  }

  #decide(
    attempt: Attempt,
    outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
    now: number,
  ): Decision {
    const { entry } = attempt;
    if (attempt.stop === 'abort') return { requeue: false, ok: false, error: entry.job.signal?.reason };
    if (attempt.stop === 'preempt') {
      entry.level = levelAfter(this.#policy, entry.level, entry.job.budgetMs, now - attempt.startedAt);
      return { requeue: true };
    }
    if (outcome.ok) return { requeue: false, ...outcome };
    const kind = sandboxFailureKind(outcome.error);
    if (kind === 'memory' && !attempt.fresh && !(outcome.error instanceof SandboxLostError)) {
      // Garbage of an earlier evaluation may have been part of what broke the limit: only a breach
      // on a fresh isolate is the evaluation's own.
      entry.needsFreshSandbox = true;
      return { requeue: true };
    }
    if (kind === 'reset' && entry.reruns < MAX_RERUNS) {
      entry.reruns += 1;
      return { requeue: true };
    }
    return { requeue: false, ...outcome };
  }

  #settleOrRequeue(entry: Entry, decision: Decision, now: number): void {
    if (!decision.requeue) {
      entry.settle(decision);
      return;
    }
    entry.queuedAt = now;
    this.#waiting.push(entry);
  }

  /** isolated-vm's onCatastrophicError: V8 lost this isolate for good. Never touch it again. */
  #lost(lane: Lane, sandbox: Sandbox, message: string): void {
    if (lane.sandbox !== sandbox) return;
    lane.sandbox = undefined;
    process.emitWarning(`the sandbox gave up an isolate and made a new one: ${message}`, { code: 'FF_SANDBOX' });
    const attempt = lane.attempt;
    if (attempt) {
      clearTimeout(attempt.timer);
      lane.attempt = undefined;
      const now = performance.now();
      this.#ledger.charge(attempt.entry.runId, now - attempt.startedAt, now);
      const decision: Decision =
        attempt.stop === 'preempt'
          ? { requeue: true }
          : { requeue: false, ok: false, error: new SandboxLostError(message) };
      this.#settleOrRequeue(attempt.entry, decision, now);
    }
    this.#dispatch();
  }
}

/** A node's cancellation, which reaches the node as it is (Temporal's CancelledFailure), not as a sandbox failure. */
export function isCancellation(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && error === signal.reason;
}

function running(attempt: Attempt, now: number) {
  return { level: attempt.entry.level, budgetMs: attempt.entry.job.budgetMs, elapsedMs: now - attempt.startedAt };
}

/** Expressions and code share the sandbox's lanes; 128 MB per isolate, as before the pool. */
export const SANDBOX_MEMORY_LIMIT_MB = 128;

let pool: SandboxPool | undefined;

export function sandboxPool(): SandboxPool {
  pool ??= new SandboxPool({ memoryLimitMb: SANDBOX_MEMORY_LIMIT_MB });
  return pool;
}

/** Disposes the pool's isolates; its lanes make new ones for the next evaluations. */
export function disposeSandboxPool(): void {
  pool?.dispose();
}
