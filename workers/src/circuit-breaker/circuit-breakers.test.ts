import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from './circuit-breakers.ts';

const target = { connector: 'http.request', host: 'api.example.com' };
const failing = () => Promise.reject(new Error('down'));

/** Calls until the breaker refuses; returns how many calls got through. */
async function callsUntilOpen(breakers: CircuitBreakers, settings = {}): Promise<number> {
  let through = 0;
  for (let i = 0; i < 20; i++) {
    try {
      await breakers.run(
        target,
        settings,
        () => {
          through++;
          return failing();
        },
        () => true,
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'FF_CIRCUIT_OPEN') return through;
    }
  }
  return through;
}

describe('CircuitBreakers (per connector, host and thresholds)', () => {
  it('uses the worker defaults for thresholds a node does not set, and the node value where it does', async () => {
    const breakers = new CircuitBreakers({ defaults: { failures: 2 } });
    expect(await callsUntilOpen(breakers)).toBe(2);
    expect(await callsUntilOpen(breakers, { failures: 4 })).toBe(4);
  });

  it('setDefaults changes the thresholds of breakers made afterwards; unset ones keep 5 / 60s / 30s', async () => {
    const breakers = new CircuitBreakers();
    expect(breakers.breaker(target)).toBe(
      breakers.breaker(target, { failures: 5, windowMs: 60_000, coolDownMs: 30_000 }),
    );
    breakers.setDefaults({ failures: 3 });
    expect(await callsUntilOpen(breakers)).toBe(3);
  });

  it('errors that are not the host failing leave the circuit closed', async () => {
    const breakers = new CircuitBreakers({ defaults: { failures: 1 } });
    await expect(breakers.run(target, {}, failing, () => false)).rejects.toThrow('down');
    expect(breakers.breaker(target).state).toBe('closed');
  });
});
