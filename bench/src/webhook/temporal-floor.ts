import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from '../floor/activities.ts';
import type { LoadFigures } from './load.ts';

/**
 * Temporal's own floor for the benchmark's shape, on the same dev server: a workflow of `nodes`
 * no-op activities (or local activities), client and worker in this one process, no FlowForge
 * code, driven by `connections` concurrent callers for `seconds`, each starting a workflow and
 * waiting for its result. The worker runs its sandbox as FlowForge's worker does (no per-entry
 * watchdog, no per-promise stack traces) unless `sdkDefaults` asks for the SDK's own settings.
 */
export async function temporalFloor(
  address: string,
  options: { nodes: number; connections: number; seconds: number; local: boolean; sdkDefaults?: boolean },
): Promise<LoadFigures> {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed by an earlier level
  }
  const workerConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `floor-${process.pid}-${Date.now()}`;
  // Read by the workflow thread Worker.create starts (patches/@temporalio__worker@1.24.0.patch).
  process.env.TEMPORAL_WORKFLOW_STACK_TRACES = options.sdkDefaults ? 'on' : 'off';
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath: new URL('../floor/workflows.ts', import.meta.url).pathname,
    activities,
    isolateExecutionTimeout: options.sdkDefaults ? '5s' : 0,
  });
  const latencies: number[] = [];
  let errors = 0;
  try {
    await worker.runUntil(async () => {
      const deadline = performance.now() + options.seconds * 1000;
      const caller = async (index: number) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const started = performance.now();
          try {
            await client.workflow.execute(options.local ? 'localNoopChain' : 'noopChain', {
              taskQueue,
              workflowId: `${taskQueue}-${index}-${n}`,
              args: [options.nodes],
            });
            latencies.push(performance.now() - started);
          } catch {
            errors += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: options.connections }, (_, index) => caller(index)));
    });
  } finally {
    await connection.close();
    await workerConnection.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    connections: options.connections,
    requests: latencies.length,
    perSecond: latencies.length / options.seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    non2xx: 0,
  };
}
