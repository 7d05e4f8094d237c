/// <reference path="../../scripts/test-env/global-setup.ts" />

import { type LocalStack, startTestStack } from '@flowforge/scripts/local-stack';
import { uniqueName } from '@flowforge/scripts/test-env';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { approvalLatency } from './approval-latency.ts';
import { approvalWorkflow } from './approvals-stack.ts';

let stack: LocalStack;
let temporal: Client;

beforeAll(async () => {
  stack = await startTestStack();
  temporal = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => {
  await temporal?.connection.close();
  await stack?.stop();
});

describe('approvalLatency', () => {
  it('finds nothing while the run waits, then the accepted update, the next node scheduled and started, in that order, after the workflow task that took the update', async () => {
    const name = uniqueName('bench-approval');
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: approvalWorkflow(name),
    });
    const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
      'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
      { w: name },
    );
    const handle = temporal.workflow.getHandle(startRun.runId);
    for (let i = 0; i < 150; i++) {
      const { run } = await stack.graphql<{ run: { nodes: Record<string, { status: string }> } }>(
        'query ($id: ID!) { run(id: $id) { nodes } }',
        { id: startRun.runId },
      );
      if (run.nodes.gate?.status === 'waiting') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const sentAtMs = Date.now();
    expect(approvalLatency((await handle.fetchHistory()).events ?? [], sentAtMs)).toBeUndefined();

    await stack.graphql('mutation ($r: ID!) { approve(runId: $r, nodeId: "gate") { runId } }', {
      r: startRun.runId,
    });
    await handle.result();
    const latency = approvalLatency((await handle.fetchHistory()).events ?? [], sentAtMs);
    expect(latency).toBeDefined();
    const { taskScheduledMs, taskStartedMs, taskCompletedMs, acceptedMs, scheduledMs, startedMs } =
      latency as NonNullable<typeof latency>;
    expect(taskScheduledMs).toBeLessThanOrEqual(taskStartedMs);
    expect(taskStartedMs).toBeLessThanOrEqual(taskCompletedMs);
    expect(taskCompletedMs).toBeLessThanOrEqual(acceptedMs);
    expect(acceptedMs).toBeLessThanOrEqual(scheduledMs);
    expect(scheduledMs).toBeLessThanOrEqual(startedMs);
    // The server's clock is this machine's: the update cannot be accepted before it was sent.
    expect(taskScheduledMs).toBeGreaterThanOrEqual(-1);
  });
});
