import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';

/**
 * Every example in examples/ pushed through GraphQL and run to the end on the real stack: the
 * control plane signs and starts runDag on Temporal, a worker runs one executeNode per node.
 */

const RUN_FIELDS = 'runId status workflow { name version } nodes';
const example = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}.json`, import.meta.url), 'utf8'));
const exampleInput = (name: string): unknown => example(`inputs/${name}`);

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

async function runExample(name: string, input: unknown): Promise<RunView> {
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: example(name) });
  const { startRun } = await stack.graphql<{ startRun: RunView }>(
    `mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { ${RUN_FIELDS} } }`,
    { w: name, i: input },
  );
  const { run } = await stack.graphql<{ run: RunView }>(
    `query ($id: ID!) { run(id: $id, waitSeconds: 60) { ${RUN_FIELDS} } }`,
    { id: startRun.runId },
  );
  return run;
}

const jsonOf = (run: RunView, node: string, port = 'main') =>
  inlineItems(run.nodes[node]?.output?.[port]).map((item) => item.json);

describe('the examples run end to end on Temporal', () => {
  it('hello greets the name in the input', async () => {
    const run = await runExample('hello', { name: 'Ada' });
    expect(run).toMatchObject({ status: 'COMPLETED', workflow: { name: 'hello', version: 1 } });
    expect(run.nodes.greet).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(jsonOf(run, 'greet')).toEqual([{ name: 'Ada', greeting: 'Hello, Ada!' }]);
  });

  it('branching routes big orders to review and joins both branches', async () => {
    const run = await runExample('branching', exampleInput('branching'));
    expect(run.status).toBe('COMPLETED');
    expect(jsonOf(run, 'done')).toEqual([
      { order: 'A-2', total: 5000, route: 'review' },
      { order: 'A-1', total: 50, route: 'auto' },
    ]);
  });

  it('fan-out-merge runs three branches and merges them item by item', async () => {
    const run = await runExample('fan-out-merge', exampleInput('fan-out-merge'));
    expect(run.status).toBe('COMPLETED');
    expect(jsonOf(run, 'combine')).toEqual([
      { profile: 'ADA', score: 30, run: run.runId, workflow: 'fan-out-merge' },
      { profile: 'GRACE', score: 50, run: run.runId, workflow: 'fan-out-merge' },
    ]);
  });

  it('code-transform computes totals in the sandbox and sorts them', async () => {
    const run = await runExample('code-transform', exampleInput('code-transform'));
    expect(run.status).toBe('COMPLETED');
    expect(jsonOf(run, 'byTotal')).toEqual([
      { sku: 'desk', total: 220 },
      { sku: 'lamp', total: 70 },
      { sku: 'pen', total: 15 },
    ]);
  });

  it('etl keeps the top three paid orders, de-duplicated, by gross amount', async () => {
    const run = await runExample('etl', exampleInput('etl'));
    expect(run.status).toBe('COMPLETED');
    expect(jsonOf(run, 'report')).toEqual([{ topOrderIds: ['o4', 'o1', 'o3'] }]);
  });

  it('http-retry retries two 503 answers and keeps two fields of the third', async () => {
    let calls = 0;
    const server = createServer((_request, response) => {
      calls += 1;
      if (calls <= 2) {
        response.writeHead(503).end('busy');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'doc-1', status: 'ok', extra: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/doc`;
      const run = await runExample('http-retry', { url });
      expect(run.status).toBe('COMPLETED');
      expect(run.nodes.fetch).toMatchObject({ status: 'succeeded', attempts: 3 });
      expect(jsonOf(run, 'pick')).toEqual([{ id: 'doc-1', status: 'ok' }]);
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });

  it('http-retry fails the run with a non-retryable 404 after one attempt', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end('no such document'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/missing`;
      const run = await runExample('http-retry', { url });
      expect(run.status).toBe('FAILED');
      expect(run.nodes.fetch).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'FF_HTTP_STATUS' } });
      expect(run.nodes.pick).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('score-in-batches scores in batches of three through a loop and alerts on the risky transactions', async () => {
    const run = await runExample('score-in-batches', exampleInput('score-in-batches'));
    expect(run.status).toBe('COMPLETED');
    expect(inlineItems(run.nodes.batches?.output.done)).toHaveLength(7);
    expect(jsonOf(run, 'alert').map((item) => item.id)).toEqual(['t2', 't4', 't6', 't7']);
    expect(jsonOf(run, 'alert')[0]).toMatchObject({ alert: 'Check transaction t2 (risk 0.95)' });
  });

  it('child-runs/greet-team runs hello per member; a failed run starts notify-failure', async () => {
    for (const file of ['hello', 'child-runs/notify-failure', 'child-runs/greet-team']) {
      await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: example(file) });
    }
    const startAndWait = async (input: unknown) => {
      const { startRun } = await stack.graphql<{ startRun: RunView }>(
        'mutation ($i: JSON) { startRun(workflow: "greet-team", input: $i) { runId } }',
        { i: input },
      );
      const { run } = await stack.graphql<{ run: RunView & { errorRun: string | null } }>(
        `query ($id: ID!) { run(id: $id, waitSeconds: 60) { ${RUN_FIELDS} errorRun } }`,
        { id: startRun.runId },
      );
      return run;
    };
    const greeted = await startAndWait({ team: ['Ada', 'Grace'] });
    expect(greeted.status).toBe('COMPLETED');
    expect(jsonOf(greeted, 'greetings')).toEqual([{ greetings: ['Hello, Ada!', 'Hello, Grace!'] }]);

    const failed = await startAndWait({ team: 'nobody' });
    expect(failed.status).toBe('FAILED');
    const { run: notified } = await stack.graphql<{ run: RunView }>(
      `query ($id: ID!) { run(id: $id, waitSeconds: 60) { ${RUN_FIELDS} } }`,
      { id: failed.errorRun },
    );
    expect(notified.status).toBe('COMPLETED');
    expect(String(jsonOf(notified, 'alert')[0]?.alert)).toMatch(
      new RegExp(`^greet-team run ${failed.runId} failed in members: .*no list at "team"`),
    );
  });
});
