import { createFlowForgeWorker } from '@flowforge/workers';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, sharedWorkflowBundle, startTestStack } from '../test-env/local-stack.ts';
import { activateWebhookWorkflow, callWebhook, runView } from './support/triggers.ts';

/**
 * Webhooks on the real stack (issue 13): activation, every respond mode, the trigger item, and
 * the answers to bad requests; a control plane and a worker in this process, real Temporal and
 * PostgreSQL, requests over HTTP on 127.0.0.1.
 */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

const pushAndActivate = async (name: string, trigger: Record<string, unknown>, nodes: Node[], edges: Node[]) => ({
  activateWorkflow: await activateWebhookWorkflow(stack, name, trigger, nodes, edges),
});
const call = (path: string, init?: RequestInit) => callWebhook(stack, path, init);
const view = (runId: string, wait?: number) => runView(stack, runId, wait);
type Node = Record<string, unknown>;

const echo = {
  id: 'echo',
  type: 'core.set',
  params: { values: { seen: '={{ $json.body.x }}', id: '={{ $json.params.id }}' } },
};

describe('webhooks', () => {
  it('answers lastNode with the first item of the last node, the trigger item in n8n shape, and the run id', async () => {
    const path = `${uniqueName('orders')}/:id`;
    const activated = await pushAndActivate(uniqueName('hook-last'), { path }, [echo], [{ from: 'hook', to: 'echo' }]);
    expect(activated.activateWorkflow.webhooks[0]?.url).toBe(`${stack.url}/webhook/${path}`);
    const url = path.replace(':id', 'A-7');
    const response = await call(`${url}?page=2`, { body: JSON.stringify({ x: 42 }), headers: { 'x-trace': 'abc' } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ seen: 42, id: 'A-7', method: 'POST', query: { page: '2' }, body: { x: 42 } });
    expect((response.json.headers as Record<string, string>)['x-trace']).toBe('abc');
    const runId = response.headers.get('x-flowforge-run-id') ?? '';
    const run = await view(runId);
    expect(run).toMatchObject({ status: 'COMPLETED', nodes: { echo: { status: 'succeeded' } } });
  });

  it('respond immediately answers 202 once Temporal has the run, even with the worker down; it completes later', async () => {
    const path = uniqueName('later');
    await pushAndActivate(
      uniqueName('hook-now'),
      { path, respond: 'immediately' },
      [echo],
      [{ from: 'hook', to: 'echo' }],
    );
    await stack.stopWorker();
    const response = await call(path, { body: JSON.stringify({ x: 1 }) });
    expect(response.status).toBe(202);
    const runId = String(response.json.runId);
    expect(response.headers.get('x-flowforge-run-id')).toBe(runId);
    expect((await view(runId)).status).toBe('RUNNING');

    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await createFlowForgeWorker({
      connection,
      taskQueue: stack.taskQueue,
      runSigningPublicKey: stack.publicKeyPem,
      artifactsDir: `${stack.home}/artifacts`,
      workflowBundle: await sharedWorkflowBundle(),
    });
    stack.useWorker(worker, connection);
    const done = await view(runId, 30);
    expect(done).toMatchObject({ status: 'COMPLETED', nodes: { echo: { output: { main: [{ json: { seen: 1 } }] } } } });
  });

  it('lastNode: a failed run answers 500 with its error and run id; past responseTimeout, 202 RUNNING', async () => {
    const failing = uniqueName('fails');
    await pushAndActivate(
      uniqueName('hook-fail'),
      { path: failing },
      [{ id: 'boom', type: 'core.stopAndError', params: { message: 'no such order' } }],
      [{ from: 'hook', to: 'boom' }],
    );
    const failed = await call(failing, { body: '{}' });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({
      error: { code: 'FF_NODE_FAILED', message: expect.stringContaining('no such order') },
      runId: expect.stringMatching(/^run-/),
    });

    const slow = uniqueName('slow');
    await pushAndActivate(
      uniqueName('hook-slow'),
      { path: slow, responseTimeout: '1s' },
      [{ id: 'pause', type: 'core.wait', params: { for: '3s' } }],
      [{ from: 'hook', to: 'pause' }],
    );
    const pending = await call(slow, { body: '{}' });
    expect(pending.status).toBe(202);
    expect(pending.json).toMatchObject({ runId: expect.stringMatching(/^run-/), status: 'RUNNING' });
  });

  it('responseNode: core.respondToWebhook answers when it runs, and the run goes on after it', async () => {
    const path = uniqueName('respond');
    const { activateWorkflow } = await pushAndActivate(
      uniqueName('hook-respond'),
      { path, respond: 'responseNode' },
      [
        {
          id: 'answer',
          type: 'core.respondToWebhook',
          params: { status: 201, headers: { 'x-order': 'made' }, body: '={{ { ok: true, x: $json.body.x } }}' },
        },
        { id: 'after', type: 'core.wait', params: { for: '1s' } },
        { id: 'last', type: 'core.noop' },
      ],
      [
        { from: 'hook', to: 'answer' },
        { from: 'answer', to: 'after' },
        { from: 'after', to: 'last' },
      ],
    );
    expect(activateWorkflow.activeVersion).toBe(1);
    const response = await call(path, { body: JSON.stringify({ x: 'y' }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-order')).toBe('made');
    expect(response.json).toEqual({ ok: true, x: 'y' });
    const runId = response.headers.get('x-flowforge-run-id') ?? '';
    // Answered before the run's last steps: it is still going, then completes.
    expect((await view(runId)).nodes.last).toBeUndefined();
    expect((await view(runId, 30)).nodes.last?.status).toBe('succeeded');
  });

  it('responseNode answers a run of pure nodes only, which ends in its first workflow task (update-with-start)', async () => {
    const path = uniqueName('pure');
    await pushAndActivate(
      uniqueName('hook-pure'),
      { path, respond: 'responseNode' },
      [
        { id: 'set', type: 'core.set', params: { values: { total: '={{ $json.body.qty * 2 }}' } } },
        { id: 'big', type: 'core.if', params: { condition: '={{ $json.total > 1 }}' } },
        { id: 'answer', type: 'core.respondToWebhook', params: { body: '={{ { total: $json.total } }}' } },
      ],
      [
        { from: 'hook', to: 'set' },
        { from: 'set', to: 'big' },
        { from: 'big', fromPort: 'true', to: 'answer' },
      ],
    );
    const answers = await Promise.all([21, 0].map((qty) => call(path, { body: JSON.stringify({ qty }) })));
    expect(answers[0]).toMatchObject({ status: 200, json: { total: 42 } });
    // qty 0: the If sends the item to "false", where nothing answers: the run completes without a response.
    expect(answers[1]).toMatchObject({ status: 500, json: { error: { code: 'FF_VALIDATION' } } });
    expect(answers[1]?.json.runId).toBe(answers[1]?.headers.get('x-flowforge-run-id'));
  });

  it('bad requests get 4xx with what was wrong, and start nothing', async () => {
    const path = uniqueName('strict');
    const workflow = uniqueName('hook-strict');
    await pushAndActivate(workflow, { path, method: 'PUT' }, [echo], [{ from: 'hook', to: 'echo' }]);
    const malformed = await call(path, { method: 'PUT', body: '{"x": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'FF_BAD_INPUT' } });
    const deep = await call(path, { method: 'PUT', body: `${'['.repeat(70)}${']'.repeat(70)}` });
    expect(deep.status).toBe(400);
    expect(deep.json).toMatchObject({
      error: { code: 'FF_BAD_INPUT', message: expect.stringMatching(/deeper than 64/) },
    });
    const wrongMethod = await call(path, { method: 'POST', body: '{}' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('PUT');
    const unknown = await call(`${path}-nope`, { method: 'PUT', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'FF_NOT_FOUND' } });
    const tooBig = await call(path, { method: 'PUT', body: JSON.stringify({ x: 'x'.repeat(17 * 1024 * 1024) }) });
    expect(tooBig.status).toBe(413);
    for (const response of [malformed, deep, wrongMethod, unknown, tooBig]) {
      expect(response.headers.get('x-flowforge-run-id')).toBeNull();
    }
    const runs = await stack.graphql<{ runs: unknown[] }>('query ($w: String) { runs(workflow: $w) { runId } }', {
      w: workflow,
    });
    expect(runs.runs).toHaveLength(0);
  });

  it('reads form and text bodies as they are, and other bodies as binary', async () => {
    const path = uniqueName('bodies');
    await pushAndActivate(
      uniqueName('hook-bodies'),
      { path },
      [
        {
          id: 'last',
          type: 'core.set',
          params: { values: { got: '={{ $json.body }}', bytes: '={{ $binary.data?.data.length }}' } },
        },
      ],
      [{ from: 'hook', to: 'last' }],
    );
    const form = await call(path, {
      body: 'a=1&b=2&b=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.json.got).toEqual({ a: '1', b: ['2', '3'] });
    const text = await call(path, { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.json.got).toBe('hello');
    const binary = await call(path, { body: new Uint8Array([1, 2, 3, 4]), headers: { 'content-type': 'image/png' } });
    expect(binary.json).toMatchObject({ bytes: 8 });

    // Past 256 KiB the trigger item is stored (artefact store) and the run's input names it: a body
    // of several MiB would not fit in Temporal's start payload. The answer is read back from the store too.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ i, pad: 'x'.repeat(90) }));
    const bigJson = await call(path, { body: JSON.stringify({ rows }) });
    expect(bigJson.status).toBe(200);
    expect((bigJson.json.got as { rows: unknown[] }).rows).toEqual(rows);
    const file = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251);
    const bigBinary = await call(path, { body: file, headers: { 'content-type': 'application/pdf' } });
    expect(bigBinary.json).toMatchObject({ bytes: Buffer.from(file).toString('base64').length });
    const run = await view(bigBinary.headers.get('x-flowforge-run-id') ?? '');
    expect(run.status).toBe('COMPLETED');
  });

  it('activation switches versions atomically, refuses a route another workflow holds, and deactivation stops it', async () => {
    const path = uniqueName('switch');
    const name = uniqueName('hook-switch');
    const v = (tag: string) => [{ id: 'tag', type: 'core.set', params: { values: { tag } } }];
    await pushAndActivate(name, { path }, v('one'), [{ from: 'hook', to: 'tag' }]);
    expect((await call(path, { body: '{}' })).json.tag).toBe('one');
    await pushAndActivate(name, { path }, v('two'), [{ from: 'hook', to: 'tag' }]);
    expect((await call(path, { body: '{}' })).json.tag).toBe('two');
    await stack.graphql('mutation ($n: String!) { activateWorkflow(name: $n, version: 1) { activeVersion } }', {
      n: name,
    });
    expect((await call(path, { body: '{}' })).json.tag).toBe('one');

    const rival = uniqueName('hook-rival');
    await expect(pushAndActivate(rival, { path }, v('rival'), [{ from: 'hook', to: 'tag' }])).rejects.toThrow(
      new RegExp(`FF_CONFLICT: POST /webhook/${path} is answered by workflow "${name}"`),
    );
    const listed = await stack.graphql<{ workflows: Array<{ name: string; activeVersion: number | null }> }>(
      '{ workflows { name activeVersion } }',
    );
    expect(listed.workflows.find((w) => w.name === name)?.activeVersion).toBe(1);
    expect(listed.workflows.find((w) => w.name === rival)?.activeVersion).toBeNull();

    await stack.graphql('mutation ($n: String!) { deactivateWorkflow(name: $n) { activeVersion } }', { n: name });
    expect((await call(path, { body: '{}' })).status).toBe(404);
  });
});
