import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineTestEnv, type EngineTestEnv, prepareRun, startRun, withWorker } from './support/test-runs.ts';

let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

/** A run that is still in its first node for a while: something to ask for a stack trace. */
const sleeper = (name: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    { id: 'nap', type: 'test.sleep', params: { ms: 1500 } },
  ],
  edges: [{ from: 'start', to: 'nap' }],
});

// The two SDK settings patches/@temporalio__worker@1.24.0.patch makes possible (docs/PERFORMANCE.md,
// "Webhooks"): each run here completes, so the patched sandbox runs workflows either way.
describe('workflow sandbox settings', () => {
  it('keeps no stack traces by default: the stack trace query says they are off, and the run completes', async () => {
    await withWorker(env, async (taskQueue) => {
      const handle = await startRun(env, prepareRun(env, sleeper('no-traces')), taskQueue);
      await expect(handle.query('__stack_trace')).rejects.toThrow(/stack traces are not enabled/);
      await expect(handle.result()).resolves.toBeDefined();
    });
  });

  it('answers the stack trace query with workflowStackTraces, and runs under a 5 s watchdog', async () => {
    await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, prepareRun(env, sleeper('traces')), taskQueue);
        // Which frames it shows depends on where the run waits when asked (its first local
        // activity, or the sleeping node): any source-mapped stack answers.
        const trace = await handle.query<string>('__stack_trace');
        expect(trace).toMatch(/^\s+at \S+ \(\S+:\d+:\d+\)/m);
        await expect(handle.result()).resolves.toBeDefined();
      },
      { workflowStackTraces: true, workflowWatchdog: '5s' },
    );
  });
});
