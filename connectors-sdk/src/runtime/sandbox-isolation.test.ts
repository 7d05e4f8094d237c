import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { disposeSandbox } from './index.ts';
import { codeValue, evaluate, expressionValue, rejection } from './sandbox-test-calls.ts';

/**
 * Issue 12, items 2 and 3: what one run does in the sandbox (break the memory limit, loop forever)
 * must not fail another run's evaluation. Each test starts the hostile evaluations and innocent
 * ones of other runs together, keeps starting innocent ones for as long as the hostile ones run,
 * and asserts outcomes only (never durations): the machine may be busy.
 */

interface InnocentResult<T> {
  value: T;
  /** It ended while the hostile evaluations still ran: it did not wait for them to end. */
  endedFirst: boolean;
}

/** Starts `call(i)` now and then every 100 ms until `hostile` has settled; resolves with every result. */
async function innocentsDuring<T>(
  hostile: Promise<unknown>,
  call: (i: number) => Promise<T>,
  first = 5,
): Promise<InnocentResult<T>[]> {
  let settled = false;
  const end = () => {
    settled = true;
  };
  hostile.then(end, end);
  const start = (i: number) => call(i).then((value) => ({ value, endedFirst: !settled }));
  const calls = Array.from({ length: first }, (_, i) => start(i));
  for (let i = first; !settled && i < first + 200; i++) {
    await delay(100);
    calls.push(start(i));
  }
  return Promise.all(calls);
}

/**
 * The innocent evaluations started within a second after the hostile ones ended while those still
 * ran (they run for several seconds more): they were not queued behind them.
 */
function expectNotQueuedBehind(results: InnocentResult<unknown>[], first = 5): void {
  expect(results.slice(first, first + 10).map((result) => result.endedFirst)).not.toContain(false);
}

const hello = (i: number) =>
  evaluate({ greeting: '=Hello, {{ $json.name }}!' }, { runId: `innocent-${i}`, items: [{ name: `n${i}` }] });

const helloResult = (i: number) => [{ greeting: `Hello, n${i}!` }];

describe('a memory breach', () => {
  it("in one run's expression fails only that expression: other runs' expressions evaluate", async () => {
    const hog = rejection(expressionValue('new Array(2 ** 25).fill(1.5).length', 'hog'));
    const results = await innocentsDuring(hog, hello, 16);
    expect(results.map((result) => result.value)).toEqual(results.map((_, i) => helloResult(i)));
    const error = await hog;
    expect(error.code).toBe('FF_EXPRESSION');
    // The isolate is gone with the breach, so which expression it was is unknown (as before the pool).
    expect(error.message).toBe('node "node": the expression used more than 128 MB');
  });

  it("in one run's code fails only that code: other runs' code nodes complete", async () => {
    const hog = rejection(
      codeValue('const all = []; for (let i = 0; i < 2e8; i++) all.push({ i }); return all.length', {
        runId: 'hog',
        timeoutMs: 60_000,
      }),
    );
    const results = await innocentsDuring(hog, (i) =>
      codeValue('return items.length * 10', { runId: `innocent-${i}`, items: [{ json: { i } }] }),
    );
    expect(new Set(results.map((result) => result.value))).toEqual(new Set([10]));
    const error = await hog;
    expect(error.code).toBe('FF_SANDBOX');
    expect(error.message).toBe('node "code": code used more than 128 MB');
    expect(error.retryable).toBe(false);
  });
});

describe('endless loops', () => {
  it("of several runs neither fail another run's expression nor queue it behind them", async () => {
    const loops = Promise.all(
      Array.from({ length: 4 }, (_, i) => rejection(expressionValue('(() => { while (true) {} })()', `looping-${i}`))),
    );
    const results = await innocentsDuring(loops, hello);
    expect(results.map((result) => result.value)).toEqual(results.map((_, i) => helloResult(i)));
    expectNotQueuedBehind(results);
    for (const error of await loops) {
      expect(error.code).toBe('FF_EXPRESSION');
      expect(error.message).toMatch(/ran longer than 1000 ms$/);
    }
  });

  it("of several runs' code neither fail another run's code nor queue it behind them", async () => {
    const loops = Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        rejection(codeValue('while (true) {}', { runId: `looping-${i}`, timeoutMs: 2_000 })),
      ),
    );
    const results = await innocentsDuring(loops, (i) => codeValue('return "fine"', { runId: `innocent-${i}` }));
    expect(new Set(results.map((result) => result.value))).toEqual(new Set(['fine']));
    expectNotQueuedBehind(results);
    for (const error of await loops) expect(error.message).toBe('node "code": code ran longer than 2000 ms');
  });
});

describe('an evaluation that gives its lane up', () => {
  it('because others waited is run again from the start and returns its own result', async () => {
    // 300 ms of work: longer than the first quanta, so the loops beside it make it give its lane up.
    const busy = 'const end = Date.now() + 300; let spins = 0; while (Date.now() < end) spins++; return "done"';
    const loops = Array.from({ length: 3 }, (_, i) =>
      rejection(codeValue('while (true) {}', { runId: `looping-${i}`, timeoutMs: 3_000 })),
    );
    const results = await Promise.all(
      Array.from({ length: 3 }, (_, i) => codeValue(busy, { runId: `busy-${i}`, timeoutMs: 3_000 })),
    );
    expect(results).toEqual(['done', 'done', 'done']);
    await Promise.all(loops);
  });

  it('because its isolate was disposed under it (a worker shutting down) is run again, not failed', async () => {
    const busy = 'const end = Date.now() + 300; while (Date.now() < end) {} return "done"';
    const running = codeValue(busy, { runId: 'reset-victim', timeoutMs: 5_000 });
    await delay(100);
    disposeSandbox();
    expect(await running).toBe('done');
  });

  it('because its node was cancelled leaves the sandbox with the abort reason', async () => {
    const controller = new AbortController();
    const running = evaluate(
      { v: '={{ (() => { while (true) {} })() }}' },
      { runId: 'cancelled', signal: controller.signal },
    );
    await delay(100);
    const reason = new Error('the node was cancelled');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await expressionValue('1 + 1')).toBe(2);
  });
});
