import { FlowForgeError } from '@flowforge/connectors-sdk';
import { CircuitBreaker, type CircuitPermit, DEFAULT_CIRCUIT_BREAKER } from './circuit-breaker.ts';

/** Thresholds as a node sets them; unset ones come from the worker's defaults (5 failures in 60 s, 30 s cool-down). */
export interface CircuitSettings {
  failures?: number | undefined;
  windowMs?: number | undefined;
  coolDownMs?: number | undefined;
}

export interface CircuitTarget {
  /** The node type that calls out (`http.request`). */
  connector: string;
  /** Host and port of the target (`api.example.com`, `127.0.0.1:8080`). */
  host: string;
}

/**
 * The breakers of one worker process, one per connector, target host and thresholds. They live in
 * memory on purpose: a breaker protects a remote service from *this* worker's calls and must
 * answer in microseconds; see workers/README.md for how several workers behave.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly now: () => number;
  private defaults: Required<CircuitSettings>;

  constructor(options: { now?: () => number; defaults?: CircuitSettings } = {}) {
    this.now = options.now ?? Date.now;
    this.defaults = { ...DEFAULT_CIRCUIT_BREAKER };
    this.setDefaults(options.defaults ?? {});
  }

  /** The worker's thresholds for nodes that set none (main.ts: FLOWFORGE_CIRCUIT_BREAKER_*). */
  setDefaults(settings: CircuitSettings): void {
    this.defaults = {
      failures: settings.failures ?? this.defaults.failures,
      windowMs: settings.windowMs ?? this.defaults.windowMs,
      coolDownMs: settings.coolDownMs ?? this.defaults.coolDownMs,
    };
  }

  breaker(target: CircuitTarget, settings: CircuitSettings = {}): CircuitBreaker {
    const failures = settings.failures ?? this.defaults.failures;
    const windowMs = settings.windowMs ?? this.defaults.windowMs;
    const coolDownMs = settings.coolDownMs ?? this.defaults.coolDownMs;
    // Nodes with the same thresholds share a host's breaker; a node that sets its own gets its own.
    const key = `${target.connector}|${target.host}|${failures}|${windowMs}|${coolDownMs}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker({ failures, windowMs, coolDownMs, now: this.now });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /**
   * Runs `call` through the target's breaker. While the circuit is open it throws FF_CIRCUIT_OPEN
   * (retryable: the node's Temporal retry policy brings the next attempt after its backoff) without
   * calling. Only errors `isFailure` accepts count: a 404 says nothing about the host's health.
   */
  async run<T>(
    target: CircuitTarget,
    settings: CircuitSettings | undefined,
    call: () => Promise<T>,
    isFailure: (error: unknown) => boolean,
  ): Promise<T> {
    const breaker = this.breaker(target, settings);
    const permit = breaker.acquire();
    if (!permit.allowed) throw circuitOpenError(target, permit);
    let outcome: 'success' | 'failure' | 'none' = 'none';
    try {
      const result = await call();
      outcome = 'success';
      return result;
    } catch (error) {
      if (isFailure(error)) outcome = 'failure';
      // Neither: a cancelled call or a caller's mistake; a successful answer of the host counts as alive.
      throw error;
    } finally {
      if (outcome === 'success') breaker.onSuccess(permit);
      else if (outcome === 'failure') breaker.onFailure(permit);
      else breaker.release(permit);
    }
  }
}

function circuitOpenError(target: CircuitTarget, permit: Extract<CircuitPermit, { allowed: false }>): FlowForgeError {
  const seconds = Math.ceil(permit.retryInMs / 1000);
  return new FlowForgeError(
    'FF_CIRCUIT_OPEN',
    `${target.connector} to ${target.host} fails fast: its circuit opened after ${permit.failures} failures ` +
      `and lets one probe call through in ${seconds}s`,
    {
      retryable: true,
      hint:
        'the host is failing; give the node a "retry" policy whose backoff outlasts the cool-down, ' +
        'or tune "circuitBreaker" (failures, window, coolDown) on the node',
    },
  );
}

/** This worker process's breakers (activities run in the worker's main thread, so one map serves all). */
export const workerCircuitBreakers = new CircuitBreakers();
