/**
 * Records one Temporal history per example workflow (examples/*.json, inputs from
 * examples/inputs/<name>.json) into workers/test/histories/<name>.json, for the replay test.
 * Re-record after an intended change to runDag's commands, and keep the old files' behaviour
 * with `patched()` while runs started before the change may still be in flight.
 *
 *   source scripts/toolchain.sh && ff_ensure_node && ff_ensure_temporal \
 *     && node --import tsx workers/test/record-histories.ts [example names: only those]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RUN_DAG_WORKFLOW, runDagStartOptions } from '@flowforge/connectors-sdk/contract';
import { generateSigningKeys } from '@flowforge/connectors-sdk/run-request';
import { Client, Connection } from '@temporalio/client';
// The SDK's own history JSON (proto3 JSON, as `temporal workflow show --output json`): what replay reads.
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection } from '@temporalio/worker';
import { freePort } from '../../scripts/stack/ports.ts';
import { startTemporal } from '../../scripts/stack/temporal.ts';
import { createFlowForgeWorker } from '../src/worker.ts';
import { signedRun } from './support/signed-run.ts';

const root = join(import.meta.dirname, '..', '..');
const examplesDir = join(root, 'examples');
const outDir = join(import.meta.dirname, 'histories');

/** http-retry's peer: answers 503 once (so the history holds a retry), then a JSON document. */
function startOrderServer() {
  let calls = 0;
  const server = createServer((_request, response) => {
    calls += 1;
    if (calls === 1) {
      response.writeHead(503).end('try again');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'o-42', status: 'shipped', internal: 'dropped by pick' }));
  });
  return new Promise<{ url: string; close(): void }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/orders/42`, close: () => server.close() });
    });
  });
}

function inputFor(name: string, serverUrl: string): unknown {
  if (name === 'http-retry') return { url: serverUrl };
  const file = join(examplesDir, 'inputs', `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { name: 'FlowForge' };
}

async function main(): Promise<void> {
  const bin = process.env.FF_TEMPORAL;
  if (!bin) throw new Error('FF_TEMPORAL is not set: source scripts/toolchain.sh && ff_ensure_temporal first');
  const temporal = await startTemporal({ bin, port: await freePort(), fast: true });
  const orders = await startOrderServer();
  const keys = generateSigningKeys();
  const taskQueue = 'record-histories';
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
    const wanted = process.argv.slice(2);
    const names = readdirSync(examplesDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => basename(file, '.json'))
      .filter((name) => wanted.length === 0 || wanted.includes(name))
      .sort();
    mkdirSync(outDir, { recursive: true });
    await worker.runUntil(async () => {
      for (const name of names) {
        const definition = JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8'));
        const run = signedRun(definition, inputFor(name, orders.url), keys.privateKeyPem);
        const handle = await client.workflow.start(RUN_DAG_WORKFLOW, {
          args: [run.input],
          ...runDagStartOptions({
            runId: run.runId,
            workflow: run.input.workflow,
            settings: run.dag.settings,
            taskQueue,
          }),
        });
        const outcome = await handle.result().then(
          () => 'completed',
          (error: unknown) => `failed: ${error instanceof Error ? (error.cause?.toString() ?? error.message) : error}`,
        );
        const history = await handle.fetchHistory();
        writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
        console.log(`${name}: ${outcome}, ${history.events?.length ?? 0} events`);
      }
    });
  } finally {
    orders.close();
    await Promise.allSettled([nativeConnection.close(), connection.close()]);
    await temporal.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
