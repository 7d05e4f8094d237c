import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinNodeTypes } from '@flowforge/connectors-sdk/builtin';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type LocalStack, startLocalStack } from '../test-env/local-stack.ts';

/**
 * A custom connector end to end: examples/connectors/acme-greet loaded into a real worker
 * (FLOWFORGE_NODE_PACKAGES' loader, in-process), its type learnt by the control plane from that
 * worker through Temporal, a workflow using it pushed and run to COMPLETED; a type no worker offers
 * is refused naming the task queue that was checked.
 */

const root = join(import.meta.dirname, '..', '..');
const demo = JSON.parse(readFileSync(join(root, 'examples/connectors/acme-greet/workflow.json'), 'utf8')) as {
  name: string;
  nodes: Array<Record<string, unknown>>;
  edges: unknown[];
};
const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { workflow version } }';

let stack: LocalStack;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({
    databaseUrl,
    temporalAddress: inject('temporalAddress'),
    nodePackages: ['./examples/connectors/acme-greet'],
    nodeTypes: { answerTimeoutMs: 2000 },
  });
});
afterAll(async () => stack?.stop());

/** The demo workflow under a fresh name, with its greet node's type replaced when asked. */
function workflowWith(type = 'acme.greet') {
  return { ...demo, name: uniqueName('greet'), nodes: demo.nodes.map((n) => (n.id === 'greet' ? { ...n, type } : n)) };
}

async function refusal(query: string, variables: Record<string, unknown>, target = stack): Promise<string> {
  return target.graphql(query, variables).then(
    () => 'accepted',
    (error: Error) => error.message,
  );
}

describe('a connector package loaded by the worker', () => {
  it('shows in the catalogue as offered by the workers, with its params JSON Schema', async () => {
    const { nodeTypes } = await stack.graphql<{ nodeTypes: Array<Record<string, unknown>> }>(
      '{ nodeTypes { type displayName group source paramsSchema inputs outputs capabilities } }',
    );
    expect(nodeTypes.at(-1)).toEqual({
      type: 'acme.greet',
      displayName: 'Greet',
      group: 'integration',
      source: 'worker',
      paramsSchema: expect.objectContaining({ type: 'object', required: ['name'] }),
      inputs: ['main'],
      outputs: ['main'],
      capabilities: { trigger: false, durableWait: false, pure: true, linkedWorkflows: false },
    });
    expect(nodeTypes.filter((type) => type.source === 'builtin')).toHaveLength(builtinNodeTypes.length);
  });

  it('is pushed, checked with its own params schema, and runs to COMPLETED', async () => {
    const definition = workflowWith();
    expect(await stack.graphql(PUSH, { d: definition })).toEqual({
      pushWorkflow: { workflow: definition.name, version: 1 },
    });
    const badParams = {
      ...definition,
      nodes: definition.nodes.map((n) => (n.id === 'greet' ? { ...n, params: {} } : n)),
    };
    expect(await refusal(PUSH, { d: badParams })).toMatch(/^FF_VALIDATION: /);

    const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
      'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
      { w: definition.name, i: { name: 'Ada' } },
    );
    const { run } = await stack.graphql<{ run: { status: string; nodes: Record<string, { output: unknown }> } }>(
      'query ($id: ID!) { run(id: $id, waitSeconds: 60) { status nodes } }',
      { id: startRun.runId },
    );
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.greet?.output).toEqual({ main: [{ json: { name: 'Ada', greeting: 'Hello, Ada!' } }] });
  });

  it('refuses a type no worker on the task queue offers, naming the queue and how many workers answered', async () => {
    const message = await refusal(PUSH, { d: workflowWith('acme.nope') });
    expect(message).toMatch(/^FF_UNKNOWN_NODE_TYPE: /);
    expect(message).toContain(
      `unknown node type "acme.nope": no worker on task queue "${stack.taskQueue}" offers it (1 worker answered;`,
    );
    expect(message).toContain('acme.greet, core.aggregate');
  });

  it('refuses the type at once on a task queue that no worker polls', async () => {
    const idle = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress'), worker: false });
    try {
      const started = Date.now();
      const message = await refusal(PUSH, { d: workflowWith() }, idle);
      expect(message).toContain(
        `unknown node type "acme.greet": no worker polls task queue "${idle.taskQueue}" now, so none could offer it`,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await idle.stop();
    }
  });

  it('refuses to start a stored version whose type the workers of the queue no longer offer', async () => {
    const definition = workflowWith();
    await stack.graphql(PUSH, { d: definition });
    // Another control plane on the same database, whose queue's worker loads no package (a redeploy without it).
    // Its worker has only just started: give it longer than the 2 s default to answer (the suite runs files side by side).
    const without = await startLocalStack({
      databaseUrl,
      temporalAddress: inject('temporalAddress'),
      nodeTypes: { answerTimeoutMs: 15_000 },
    });
    try {
      const message = await refusal(
        'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
        { w: definition.name },
        without,
      );
      expect(message).toMatch(/^FF_UNKNOWN_NODE_TYPE: /);
      expect(message).toContain(`no worker on task queue "${without.taskQueue}" offers it (1 worker answered;`);
    } finally {
      await without.stop();
    }
  });

  it('says so when the workers that polled do not answer (a worker that just stopped)', async () => {
    await stack.stopWorker();
    const message = await refusal(PUSH, { d: workflowWith('acme.later') });
    expect(message).toContain(
      `unknown node type "acme.later": 1 worker polled task queue "${stack.taskQueue}" lately, but none answered within 2 s`,
    );
  });
});
