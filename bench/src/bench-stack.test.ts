import { inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
/// <reference path="../../scripts/test-env/global-setup.ts" />
import { createTestDatabase } from '@flowforge/scripts/test-env';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BenchStack, startBenchStack } from './bench-stack.ts';
import { fiveNodes } from './workflows.ts';

let stack: BenchStack;

beforeAll(async () => {
  stack = await startBenchStack({
    databaseUrl: await createTestDatabase(inject('postgresUrl')),
    temporalAddress: inject('temporalAddress'),
  });
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: fiveNodes('bench-stack-five'),
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('the bench stack (the worker bundles runDag itself, connectors-sdk preloaded once per thread)', () => {
  it('keeps runs started at once apart, and answers the node-state query of each ended run', async () => {
    const quantities = [1, 5, 11, 20, 3, 15];
    const views = await Promise.all(
      quantities.map(async (qty) => {
        const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
          'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
          { w: 'bench-stack-five', i: { qty, price: 10 } },
        );
        // After the end the worker has evicted the run: the query replays it in a fresh workflow context.
        const { run } = await stack.graphql<{ run: RunView }>(
          'query ($id: ID!) { run(id: $id, waitSeconds: 60) { runId status nodes } }',
          { id: startRun.runId },
        );
        return run;
      }),
    );
    for (const [index, view] of views.entries()) {
      const total = (quantities[index] as number) * 10;
      expect(view.status).toBe('COMPLETED');
      expect(inlineItems(view.nodes.enrich?.output.main)[0]?.json).toMatchObject({ qty: quantities[index], total });
      // The branch: only totals over 100 go through "flag".
      expect(view.nodes.flag?.status).toBe(total > 100 ? 'succeeded' : 'skipped');
    }
  });
});
