import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
// The SDK's own history JSON (as record-histories.ts writes it): what replay reads.
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import type { EngineTestEnv } from './test-runs.ts';

/**
 * Replays a finished run against today's runDag; with FLOWFORGE_RECORD_HISTORIES=1 also writes its
 * history into `historiesDir`, so a later change that breaks such runs fails the replay tests.
 */
export async function replayRun(
  env: Pick<EngineTestEnv, 'bundle'>,
  handle: WorkflowHandle,
  historiesDir: string,
  name: string,
): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: env.bundle }, history, name);
  if (process.env.FLOWFORGE_RECORD_HISTORIES) {
    mkdirSync(historiesDir, { recursive: true });
    writeFileSync(
      join(historiesDir, `${name}.json`),
      `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`,
    );
  }
}

/** Replays one committed history file of `historiesDir` against today's runDag. */
export async function replayRecorded(
  env: Pick<EngineTestEnv, 'bundle'>,
  historiesDir: string,
  file: string,
): Promise<void> {
  const history = JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));
  await Worker.runReplayHistory({ workflowBundle: env.bundle }, history, basename(file, '.json'));
}
