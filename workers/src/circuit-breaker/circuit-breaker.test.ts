import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitPermit } from './circuit-breaker.ts';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function breakerWith(time: ReturnType<typeof clock>) {
  return new CircuitBreaker({ failures: 3, windowMs: 60_000, coolDownMs: 30_000, now: time.now });
}

function fail(breaker: CircuitBreaker): CircuitPermit {
  const permit = breaker.acquire();
  breaker.onFailure(permit);
  return permit;
}

describe('CircuitBreaker', () => {
  it('opens after N failures within the window and then refuses calls with the time left', () => {
    const time = clock();
    const breaker = breakerWith(time);
    fail(breaker);
    fail(breaker);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
    time.advance(10_000);
    expect(breaker.acquire()).toEqual({ allowed: false, retryInMs: 20_000, openedAt: 1_000_000, failures: 3 });
  });

  it('forgets failures older than the window', () => {
    const time = clock();
    const breaker = breakerWith(time);
    fail(breaker);
    fail(breaker);
    time.advance(60_000);
    fail(breaker);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('after the cool-down lets exactly one probe through; its success closes the circuit', () => {
    const time = clock();
    const breaker = breakerWith(time);
    for (let i = 0; i < 3; i++) fail(breaker);
    time.advance(30_000);
    expect(breaker.state).toBe('half-open');
    const probe = breaker.acquire();
    expect(probe).toEqual({ allowed: true, probe: true });
    expect(breaker.acquire().allowed).toBe(false);
    breaker.onSuccess(probe);
    expect(breaker.state).toBe('closed');
    expect(breaker.acquire()).toEqual({ allowed: true, probe: false });
  });

  it('a failed probe opens the circuit for another full cool-down', () => {
    const time = clock();
    const breaker = breakerWith(time);
    for (let i = 0; i < 3; i++) fail(breaker);
    time.advance(30_000);
    fail(breaker);
    expect(breaker.state).toBe('open');
    time.advance(29_999);
    expect(breaker.acquire()).toMatchObject({ allowed: false, retryInMs: 1 });
    time.advance(1);
    expect(breaker.acquire()).toEqual({ allowed: true, probe: true });
  });

  it('a probe given back without an outcome lets the next caller probe', () => {
    const time = clock();
    const breaker = breakerWith(time);
    for (let i = 0; i < 3; i++) fail(breaker);
    time.advance(30_000);
    breaker.release(breaker.acquire());
    expect(breaker.acquire()).toEqual({ allowed: true, probe: true });
  });

  it('a slow call that fails after the circuit opened does not extend the cool-down', () => {
    const time = clock();
    const breaker = breakerWith(time);
    const slow = breaker.acquire();
    for (let i = 0; i < 3; i++) fail(breaker);
    time.advance(30_000);
    breaker.onFailure(slow);
    expect(breaker.state).toBe('half-open');
  });

  it('refuses thresholds that cannot work', () => {
    expect(() => new CircuitBreaker({ failures: 0, windowMs: 1, coolDownMs: 1 })).toThrow(RangeError);
  });
});
