import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { freePort, waitFor } from '../stack/ports.ts';
import { type GraphQL, graphqlClient } from '../test-env/graphql-client.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { approvalWorkflow } from './approval-workflows.ts';
import { flowforgeCli } from './cli-process.ts';
import { type ControlPlaneProcess, readControlPlaneHome, startControlPlaneProcess } from './control-plane-process.ts';
import { countBy } from './count-by.ts';
import { startCrashableTemporal } from './crashable-temporal.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

/**
 * Issue 4, fault test 3: runs wait for approval while the control plane (a child process, as npm
 * start runs it) is killed with SIGKILL. A new control plane on the same home and database lists the
 * same runs (through the CLI, as a person would ask), and approvals resume them: the wait lives in
 * Temporal, not in the control plane. Its own Temporal server, database and task queue.
 */

const RUNS = 10;

interface Approval {
  runId: string;
  nodeId: string;
  message?: string;
}

const logs: string[] = [];
const log = (line: string) => logs.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
const children: Array<{ kill(): Promise<void> }> = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  await Promise.allSettled(children.map((child) => child.kill()));
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const runView = (graphql: GraphQL, runId: string, waitSeconds = 0) =>
  graphql<{ run: RunView }>('query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { runId status nodes } }', {
    id: runId,
    w: waitSeconds,
  }).then((data) => data.run);

const listedByCli = async (home: string) =>
  (JSON.parse(await flowforgeCli(home, ['approvals', 'list', '--json'])) as Approval[]).map((a) => a.runId).sort();

describe('the control plane killed with SIGKILL while runs wait for approval', () => {
  it('a restarted control plane lists the same waiting runs and approvals resume every one', async () => {
    onTestFailed(() => console.log(logs.slice(-80).join('\n')));
    const dir = mkdtempSync(join(tmpdir(), 'flowforge-fault-cp-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const temporal = await startCrashableTemporal({
      bin: inject('temporalBin'),
      dir,
      log: (l) => log(`[temporal] ${l}`),
    });
    cleanups.push(() => temporal.stop());
    const home = join(dir, 'control-plane');
    mkdirSync(home);
    const cpOptions = {
      home,
      databaseUrl: await createTestDatabase(inject('postgresUrl')),
      temporalAddress: temporal.address,
      taskQueue: uniqueName('fault-cp'),
      port: await freePort(),
      log,
      onSpawn: (child: ControlPlaneProcess) => children.push(child),
    };
    const first = await startControlPlaneProcess({ ...cpOptions, name: 'control-plane-1' });
    const { apiKey, publicKeyPem, workerToken } = readControlPlaneHome(home);
    const graphql = graphqlClient(first.url, apiKey);
    await startWorkerProcess({
      temporalAddress: temporal.address,
      taskQueue: cpOptions.taskQueue,
      publicKeyPem,
      home: join(dir, 'worker'),
      name: 'worker',
      log,
      onSpawn: (worker: WorkerProcess) => children.push(worker),
    });

    const workflow = approvalWorkflow('fault-cp-approval');
    await graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: workflow });
    const runIds = await Promise.all(
      Array.from({ length: RUNS }, (_, order) =>
        graphql<{ startRun: { runId: string } }>(
          'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
          { w: workflow.name, i: { order } },
        ).then((data) => data.startRun.runId),
      ),
    );
    const expected = [...runIds].sort();
    await waitFor(`${RUNS} runs waiting for approval`, 60_000, async () => {
      const listed = await graphql<{ approvals: Approval[] }>('{ approvals { runId nodeId } }');
      return listed.approvals.length === RUNS ? true : undefined;
    });
    const listedBefore = await listedByCli(home);
    expect(listedBefore).toEqual(expected);

    await first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    // Nothing answers on the port now: the runs keep waiting in Temporal alone.
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    const second = await startControlPlaneProcess({ ...cpOptions, name: 'control-plane-2' });
    expect(second.url).toBe(first.url);
    // Same home and database: the local admin key still works, the signing key and the worker token are the same.
    expect(readControlPlaneHome(home)).toEqual({ apiKey, publicKeyPem, workerToken });
    const listedAfter = await listedByCli(home);
    expect(listedAfter).toEqual(expected);
    const detail = JSON.parse(await flowforgeCli(home, ['approvals', 'list', '--json'])) as Approval[];
    expect(countBy(detail.map((a) => `${a.nodeId}: ${a.message}`))).toEqual({ 'gate: Ship the order?': RUNS });

    // One approval through the CLI resumes its run...
    const [firstRun, ...rest] = runIds as [string, ...string[]];
    await flowforgeCli(home, ['approve', firstRun, '--comment', 'after the crash']);
    const resumed = await runView(graphql, firstRun, 60);
    expect(resumed.status).toBe('COMPLETED');
    expect(inlineItems(resumed.nodes.gate?.output.approved)[0]?.json).toMatchObject({
      decision: 'approve',
      by: 'admin',
      comment: 'after the crash',
    });
    expect(resumed.nodes.done?.status).toBe('succeeded');
    // ...and leaves the others waiting, still listed.
    expect(await listedByCli(home)).toEqual([...rest].sort());

    // The rest through GraphQL (as the UI would).
    await Promise.all(
      rest.map((runId) => graphql('mutation ($r: ID!) { approve(runId: $r) { runId } }', { r: runId })),
    );
    const results = await Promise.all(runIds.map((runId) => runView(graphql, runId, 60)));
    expect(countBy(results.map((run) => run.status))).toEqual({ COMPLETED: RUNS });
    expect(countBy(results.map((run) => run.nodes.done?.status))).toEqual({ succeeded: RUNS });
    expect(await listedByCli(home)).toEqual([]);
    console.log(
      `control-plane-crash: ${RUNS} runs waiting at core.approval; control-plane-1 SIGKILLed; control-plane-2 ` +
        `(same home, database, port) listed ${listedAfter.length}/${RUNS} of the same runs through the CLI; ` +
        `1 approved through the CLI completed while ${rest.length} stayed listed; after approving those through ` +
        `GraphQL: ${JSON.stringify(countBy(results.map((run) => run.status)))}, 0 listed`,
    );
  }, 240_000);
});
