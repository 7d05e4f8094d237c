/**
 * A circuit breaker as a small state machine (closed → open → half-open → closed | open).
 *
 * Why not `opossum`: it wraps one function per breaker and opens on an error *percentage* over
 * rolling buckets with its own timeouts and events; FlowForge wants "N failures within a window"
 * per connector and host, keyed at call time, with the retry left to Temporal. Those rules fit in
 * this file, need no timers (the clock is read, never scheduled, so nothing keeps a worker alive)
 * and are tested with an injected clock.
 */

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. */
  failures: number;
  windowMs: number;
  /** How long an open circuit fails fast before it lets one probe through. */
  coolDownMs: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** The answer to "may I call?": a permit to report back on, or how long to stay away. */
export type CircuitPermit =
  | { allowed: true; probe: boolean }
  | { allowed: false; retryInMs: number; openedAt: number; failures: number };

export const DEFAULT_CIRCUIT_BREAKER = { failures: 5, windowMs: 60_000, coolDownMs: 30_000 } as const;

export class CircuitBreaker {
  private readonly options: Required<CircuitBreakerOptions>;
  /** Times of the failures still inside the window (closed state only). */
  private recentFailures: number[] = [];
  private openedAt: number | undefined;
  /** Half-open: a probe is out, every other caller still fails fast. */
  private probing = false;

  constructor(options: CircuitBreakerOptions) {
    if (!(options.failures >= 1 && options.windowMs > 0 && options.coolDownMs > 0)) {
      throw new RangeError('a circuit breaker needs failures >= 1 and a positive window and cool-down');
    }
    this.options = { now: Date.now, ...options };
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.options.now() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open';
  }

  /** Call before each attempt; a `probe` permit is the one half-open call whose outcome decides. */
  acquire(): CircuitPermit {
    const state = this.state;
    if (state === 'closed') return { allowed: true, probe: false };
    const openedAt = this.openedAt as number;
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return { allowed: true, probe: true };
    }
    const retryInMs = Math.max(0, openedAt + this.options.coolDownMs - this.options.now());
    return { allowed: false, retryInMs, openedAt, failures: this.options.failures };
  }

  onSuccess(permit: CircuitPermit): void {
    if (!permit.allowed) return;
    if (permit.probe) this.close();
    // A success while closed does not forgive earlier failures: "N failures within the window" counts them all.
  }

  onFailure(permit: CircuitPermit): void {
    if (!permit.allowed) return;
    const now = this.options.now();
    if (permit.probe) {
      this.open(now);
      return;
    }
    // A call allowed while closed may finish after the circuit opened: it changes nothing then.
    if (this.openedAt !== undefined) return;
    this.recentFailures = this.recentFailures.filter((at) => now - at < this.options.windowMs);
    this.recentFailures.push(now);
    if (this.recentFailures.length >= this.options.failures) this.open(now);
  }

  /** A permit given back without an outcome (the call was cancelled): a probe may go out again. */
  release(permit: CircuitPermit): void {
    if (permit.allowed && permit.probe) this.probing = false;
  }

  private open(now: number): void {
    this.openedAt = now;
    this.probing = false;
    this.recentFailures = [];
  }

  private close(): void {
    this.openedAt = undefined;
    this.probing = false;
    this.recentFailures = [];
  }
}
