import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres, startTemporal } from '@flowforge/scripts/stack';
import { createTestDatabase } from '@flowforge/scripts/test-env';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
// The CLI's own subscriber (graphql-ws over ws), through its source path: what `runs watch` runs.
import { watchRun } from '../../cli/src/run-watch.ts';
import { startBenchStack } from './bench-stack.ts';
import { eventMs } from './history-timings.ts';
import { formatMs, percentile } from './stats.ts';

const EventType = proto.temporal.api.enums.v1.EventType;
const RUNS = Number(process.env.BENCH_LIVE_RUNS ?? 20);
const NODES = 10;

/**
 * `npm run bench -- live-events`: issue 9's "a runEvents subscription sees a node's completion within
 * 100 ms p99 of the activity's end". Runs of trigger → a 1 s wait (the subscriber joins meanwhile)
 * → 10 http.request nodes (remote activities, to a local server). Per node: the time the subscriber
 * got node.succeeded minus the ActivityTaskCompleted event's time in the run's history (the
 * server's clock, which is this machine's on a local dev server). The path measured: activity
 * completion → Temporal → workflow task → sink → the worker's POST → the control plane's NOTIFY →
 * its LISTEN → the subscription's WebSocket.
 */
async function main(): Promise<void> {
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: run the benchmark with npm run bench');
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-live-bench-'));
  const home = process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge');
  const target = createServer((_request, response) => response.end('{"ok":true}'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const [postgres, temporal] = await Promise.all([
    freePort().then((port) => startPostgres({ dir: join(home, 'bench', 'postgres'), port })),
    freePort().then((port) => startTemporal({ bin: temporalBin, port, dbFile: join(scratch, 'temporal.db') })),
  ]);
  const stack = await startBenchStack({
    databaseUrl: await createTestDatabase(postgres.url('postgres')),
    temporalAddress: temporal.address,
    controlPlane: true,
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  try {
    const ids = Array.from({ length: NODES }, (_, index) => `h${index + 1}`);
    const nodes = [
      { id: 'start', type: 'trigger.manual' },
      { id: 'pause', type: 'core.wait', params: { for: '1s' } },
      ...ids.map((id) => ({ id, type: 'http.request', params: { url: `${targetUrl}/${id}` } })),
    ];
    const order = nodes.map((node) => node.id);
    const edges = order.slice(1).map((to, index) => ({ from: order[index], to }));
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: { schemaVersion: 1, name: 'bench-live', nodes, edges },
    });
    const loadBefore = loadavg()[0] ?? 0;
    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
        'mutation { startRun(workflow: "bench-live") { runId } }',
      );
      const received = new Map<string, number>();
      await watchRun({ url: stack.url, apiKey: stack.apiKey, source: 'bench' }, startRun.runId, (event) => {
        if (event.event === 'node.succeeded' && event.nodeId) received.set(event.nodeId, Date.now());
      });
      const history = await client.workflow.getHandle(startRun.runId).fetchHistory();
      const scheduled = new Map<number, string>();
      for (const event of history.events ?? []) {
        if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          scheduled.set(Number(event.eventId), event.activityTaskScheduledEventAttributes?.activityId ?? '');
        }
        if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          const activityId = scheduled.get(Number(event.activityTaskCompletedEventAttributes?.scheduledEventId));
          const nodeId = ids.find((id) => activityId === id || activityId?.startsWith(`${id}`));
          const at = nodeId ? received.get(nodeId) : undefined;
          if (at !== undefined) samples.push(at - eventMs(event));
        }
      }
    }
    console.log(
      `machine: ${cpus().length} cpus, ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}; load ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after`,
    );
    console.log(
      `activity end (ActivityTaskCompleted) → runEvents subscriber got node.succeeded, ${samples.length} nodes of ${RUNS} runs: p50 ${formatMs(percentile(samples, 50))}, p99 ${formatMs(percentile(samples, 99))}, max ${formatMs(Math.max(...samples))}`,
    );
  } finally {
    await stack.stop();
    await connection.close();
    target.close();
    await Promise.allSettled([temporal.stop(), postgres.stop()]);
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
