import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { RUN_STATE_QUERY, type RunState } from '@flowforge/connectors-sdk/contract';
// The SDK's own history JSON (proto3 JSON, as `temporal workflow show --output json`): what replay reads.
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../src/worker.ts';
import { WAITS_FIRST_PATCH } from '../src/workflows/start-order.ts';
import { waitsFirstWorkflows } from './pre-patch/waits-first-workflows.ts';
import { createEngineTestEnv, type EngineTestEnv, prepareRun, startRun, withWorker } from './support/test-runs.ts';

/**
 * Issue 4, fault test 5: runDag's waits-first start order (src/workflows/start-order.ts) is guarded
 * by `patched()`. test/histories-pre-patch/ holds runs recorded with the code before the change
 * (commit 867b91a), each with a core.wait ready beside other nodes and after them in the file.
 * - With today's runDag they replay: `patched()` answers false for a history without its marker.
 * - With the guard forced on (patched() always true, as if the change were not guarded) the same
 *   histories fail as nondeterministic: the first ScheduleActivityTask command names the wait node
 *   while history says another node (Temporal compares activity ids, which are node ids).
 * - A new run does schedule the wait first and records the patch marker.
 */
const historiesDir = join(import.meta.dirname, 'histories-pre-patch');
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));
const load = (file: string) => JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
const dagRunFile = `${sep}workflows${sep}dag-run.ts`;
const patchedAlways = join(import.meta.dirname, 'support', 'patched-always.ts');

/** The slice of webpack's compiler that `forcePatchedOn` uses (webpack is not a direct dependency). */
interface ResolveData {
  request: string;
  contextInfo: { issuer?: string };
}
interface Compiler {
  hooks: {
    normalModuleFactory: {
      tap(
        name: string,
        fn: (factory: { hooks: { beforeResolve: { tap(n: string, f: (data: ResolveData) => void): void } } }) => void,
      ): void;
    };
  };
}

/** A webpack plugin: dag-run.ts's `@temporalio/workflow` becomes patched-always.ts (what NormalModuleReplacementPlugin does). */
const forcePatchedOn = {
  apply(compiler: Compiler) {
    compiler.hooks.normalModuleFactory.tap('force-patched-on', (factory) => {
      factory.hooks.beforeResolve.tap('force-patched-on', (data) => {
        if (data.request === '@temporalio/workflow' && data.contextInfo.issuer?.endsWith(dagRunFile)) {
          data.request = patchedAlways;
        }
      });
    });
  },
};

let guarded: WorkflowBundleWithSourceMap;
let unguarded: WorkflowBundleWithSourceMap;
let env: EngineTestEnv;
beforeAll(async () => {
  [guarded, unguarded, env] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger }),
    bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      logger: quietLogger,
      webpackConfigHook: (config) => ({ ...config, plugins: [...(config.plugins ?? []), forcePatchedOn] }),
    }),
    createEngineTestEnv(),
  ]);
}, 120_000);
afterAll(async () => env?.close());

/** The events of a history in the SDK's JSON form (the committed files, historyToJSON), as far as read here. */
interface HistoryEvent {
  activityTaskScheduledEventAttributes?: { activityId: string };
  markerRecordedEventAttributes?: {
    markerName: string;
    details?: Record<string, { payloads?: Array<{ data?: string }> }>;
  };
}
const scheduledIds = (history: { events: HistoryEvent[] }) =>
  history.events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityId ?? []);
/** The ids of the `patched()` markers ("core_patch", the patch id in the marker's JSON details). */
const patchMarkers = (history: { events: HistoryEvent[] }) =>
  history.events.flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = Object.values(marker.details ?? {}).flatMap((details) => details.payloads ?? [])[0]?.data ?? '';
    return [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id];
  });

describe('the waits-first start order behind patched()', () => {
  it('has a pre-patch history of every waits-first workflow, scheduled in the old order', () => {
    expect(files.map((file) => basename(file, '.json')).sort()).toEqual(waitsFirstWorkflows.map((w) => w.name).sort());
    expect(scheduledIds(load('parallel-wait.json'))).toEqual(['start', 'enrich', 'pause', 'combine']);
  });

  it.each(files)("replays %s (recorded before the change) with today's runDag", async (file) => {
    await Worker.runReplayHistory({ workflowBundle: guarded }, load(file), basename(file, '.json'));
  });

  it.each(files)('would not replay %s if the change were not guarded (nondeterminism)', async (file) => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: unguarded }, load(file), basename(file, '.json')),
    ).rejects.toThrow(
      /Activity id of scheduled event '\w+' does not match activity id of activity command '(pause|short)'/,
    );
  });

  it('a new run schedules the durable wait before its sibling and records the patch marker', async () => {
    const definition = waitsFirstWorkflows[0];
    const history = await withWorker(
      env,
      async (taskQueue) => {
        const handle = await startRun(env, prepareRun(env, definition, { order: 'A-1' }), taskQueue);
        await handle.result();
        expect((await handle.query<RunState>(RUN_STATE_QUERY)).status).toBe('COMPLETED');
        return handle.fetchHistory();
        // Every node a remote activity, as in the recorded histories: their ids are the node ids.
      },
      { localPureNodes: false },
    );
    const json = JSON.parse(historyToJSON(history)) as { events: HistoryEvent[] };
    expect(scheduledIds(json)).toEqual(['start', 'pause', 'enrich', 'combine']);
    expect(patchMarkers(json)).toEqual([WAITS_FIRST_PATCH]);
    // And it replays with today's code, marker and all.
    await Worker.runReplayHistory({ workflowBundle: guarded }, history, 'waits-first-new');
  }, 60_000);
});
