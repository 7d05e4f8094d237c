/**
 * Records the histories in ../histories-pre-patch/: runs of waits-first-workflows.ts made with runDag
 * as it was BEFORE the `waits-first` change (commit them before changing runDag; never re-record them
 * with newer code, or they stop proving anything). replay-pre-patch.test.ts replays them.
 *
 *   source scripts/toolchain.sh && ff_ensure_node && ff_ensure_temporal \
 *     && node --import tsx workers/test/pre-patch/record-pre-patch-histories.ts
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DAG_WORKFLOW, runDagStartOptions } from '@flowforge/connectors-sdk/contract';
import { generateSigningKeys } from '@flowforge/connectors-sdk/run-request';
import { Client, Connection } from '@temporalio/client';
// The SDK's own history JSON (proto3 JSON, as `temporal workflow show --output json`): what replay reads.
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection } from '@temporalio/worker';
import { freePort } from '../../../scripts/stack/ports.ts';
import { startTemporal } from '../../../scripts/stack/temporal.ts';
import { createFlowForgeWorker } from '../../src/worker.ts';
import { signedRun } from '../support/signed-run.ts';
import { waitsFirstWorkflows } from './waits-first-workflows.ts';

const outDir = join(import.meta.dirname, '..', 'histories-pre-patch');

async function main(): Promise<void> {
  const bin = process.env.FF_TEMPORAL;
  if (!bin) throw new Error('FF_TEMPORAL is not set: source scripts/toolchain.sh && ff_ensure_temporal first');
  const temporal = await startTemporal({ bin, port: await freePort(), fast: true });
  const keys = generateSigningKeys();
  const taskQueue = 'record-pre-patch-histories';
  const [nativeConnection, connection] = await Promise.all([
    NativeConnection.connect({ address: temporal.address }),
    Connection.connect({ address: temporal.address }),
  ]);
  try {
    const client = new Client({ connection });
    const worker = await createFlowForgeWorker({
      connection: nativeConnection,
      taskQueue,
      runSigningPublicKey: keys.publicKeyPem,
      artifactsDir: mkdtempSync(join(tmpdir(), 'flowforge-record-')),
    });
    mkdirSync(outDir, { recursive: true });
    await worker.runUntil(async () => {
      for (const definition of waitsFirstWorkflows) {
        const run = signedRun(definition, { order: 'A-1' }, keys.privateKeyPem);
        const handle = await client.workflow.start(RUN_DAG_WORKFLOW, {
          args: [run.input],
          ...runDagStartOptions({
            runId: run.runId,
            workflow: run.input.workflow,
            settings: run.dag.settings,
            taskQueue,
          }),
        });
        await handle.result();
        const history = await handle.fetchHistory();
        const file = join(outDir, `${definition.name}.json`);
        writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
        console.log(`${definition.name}: completed, ${history.events?.length ?? 0} events`);
      }
    });
  } finally {
    await Promise.allSettled([nativeConnection.close(), connection.close()]);
    await temporal.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
