import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCountingSinks } from '../src/observability/run-counting-sinks.ts';
import { workflowBundleOptions } from '../src/worker.ts';

/**
 * Replay safety: every history recorded by record-histories.ts must replay against today's
 * runDag without a nondeterminism error. A failure here means a change would break runs in flight:
 * gate it with `patched()` (see workers/README.md) instead of re-recording.
 */
const historiesDir = join(import.meta.dirname, 'histories');
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));
const load = (file: string) => JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));

let bundle: WorkflowBundleWithSourceMap;
const sinks = runCountingSinks(undefined);
beforeAll(async () => {
  const noop = () => {};
  // The bundle the worker ships: its preloaded modules and the run-counting interceptor module too.
  bundle = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop },
  });
});

describe('replaying recorded histories', () => {
  it('has a recorded history for every example', () => {
    const examples = readdirSync(join(import.meta.dirname, '..', '..', 'examples')).filter((f) => f.endsWith('.json'));
    expect(files.map((file) => basename(file)).sort()).toEqual(examples.sort());
  });

  it.each(files)('replays %s deterministically', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: bundle, sinks }, load(file), basename(file, '.json'));
  });

  it('fails on a history the workflow would not produce (the check can fail)', async () => {
    const history = load('hello.json');
    const scheduled = history.events.find(
      (event: Record<string, unknown>) => event.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(Worker.runReplayHistory({ workflowBundle: bundle, sinks }, history, 'tampered')).rejects.toThrow(
      /[Nn]ondetermin/,
    );
  });
});
