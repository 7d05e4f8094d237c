import { inlineItems, type RunView } from '@flowforge/connectors-sdk/contract';
/// <reference path="../../scripts/test-env/global-setup.ts" />
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startLocalStack } from '../../scripts/test-env/local-stack.ts';
import { createPrisma, type PrismaClient } from '../src/database.ts';
import { nonCanonicalForms } from './token-variants.ts';

/**
 * core.wait with resume: "webhook" on the real stack: the worker's run waits on a Temporal update,
 * the control plane shows the signed resume URL in the run view and delivers POSTs to it.
 */

let stack: LocalStack;
let prisma: PrismaClient;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
  prisma = createPrisma(databaseUrl);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await stack?.stop();
});

/** start → hook (core.wait, resume: webhook) → after (core.set). */
async function startHookRun(hook: Record<string, unknown>): Promise<string> {
  const name = uniqueName('resume');
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
    d: {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'hook', type: 'core.wait', params: { resume: 'webhook', ...hook } },
        { id: 'after', type: 'core.set', params: { values: { seen: true } } },
      ],
      edges: [
        { from: 'start', to: 'hook' },
        { from: 'hook', to: 'after' },
      ],
    },
  });
  const { startRun } = await stack.graphql<{ startRun: RunView }>(
    'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
    { w: name },
  );
  return startRun.runId;
}

async function runView(runId: string, waitSeconds = 0): Promise<RunView> {
  const { run } = await stack.graphql<{ run: RunView }>(
    'query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { runId status nodes } }',
    { id: runId, w: waitSeconds },
  );
  return run;
}

/** Re-reads until `check` holds (the run moves on its own time); returns the last value after 30 s. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The hook node's resume-webhook wait, or undefined when it waits for nothing or something else. */
const hookWait = (run: RunView) => {
  const wait = run.nodes.hook?.waiting;
  return wait?.for === 'webhook' ? wait : undefined;
};

const waitingAtHook = (runId: string) =>
  eventually(
    () => runView(runId),
    (run) => run.nodes.hook?.status === 'waiting',
  );

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('core.wait resume: "webhook" on the real stack', () => {
  it('shows a signed resume URL; a POST resumes the run with its body as output; a second POST answers 410', async () => {
    const runId = await startHookRun({});
    const waiting = await waitingAtHook(runId);
    const wait = hookWait(waiting);
    expect(wait).toMatchObject({ for: 'webhook', since: expect.any(String) });
    expect(wait?.until).toBeUndefined();
    const url = wait?.url ?? '';
    expect(url).toMatch(new RegExp(`^${stack.url}/webhook/resume/[\\w-]+\\.[\\w-]+$`));

    const first = await post(url, { orderId: 'A-7', paid: true });
    expect(first).toMatchObject({ status: 200, json: { resumed: true, nodeId: 'hook' } });
    const done = await runView(runId, 30);
    expect(done.status).toBe('COMPLETED');
    expect(inlineItems(done.nodes.hook?.output.main)).toEqual([{ json: { orderId: 'A-7', paid: true } }]);
    expect(inlineItems(done.nodes.after?.output.main)).toEqual([{ json: { orderId: 'A-7', paid: true, seen: true } }]);

    const second = await post(url, { orderId: 'again' });
    expect(second.status).toBe(410);
    expect(second.json).toMatchObject({ error: { code: 'FF_RESUME_LINK_USED' } });
    const audit = await prisma.auditEvent.findMany({ where: { target: `run:${runId}/node:hook` } });
    expect(audit.map((event) => event.action)).toEqual(['wait.resume']);
  });

  it('a JSON array body becomes one item per element', async () => {
    const runId = await startHookRun({ timeout: '1h' });
    const url = hookWait(await waitingAtHook(runId))?.url ?? '';
    expect((await post(url, [{ line: 1 }, { line: 2 }, 3])).status).toBe(200);
    const done = await runView(runId, 30);
    expect(inlineItems(done.nodes.hook?.output.main)).toEqual([
      { json: { line: 1 } },
      { json: { line: 2 } },
      { json: { value: 3 } },
    ]);
  });

  it('a tampered token answers 400 and the run keeps waiting', async () => {
    const runId = await startHookRun({});
    const url = hookWait(await waitingAtHook(runId))?.url ?? '';
    const [prefix = '', token = ''] = url.split('/webhook/resume/');
    const [payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, nodeId: 'after' })).toString('base64url');
    const tampered = await post(`${prefix}/webhook/resume/${forged}.${signature}`, { x: 1 });
    expect(tampered.status).toBe(400);
    expect(tampered.json).toMatchObject({ error: { code: 'FF_BAD_INPUT' } });
    const garbage = await post(`${prefix}/webhook/resume/not-a-token`, { x: 1 });
    expect(garbage.status).toBe(400);
    // Forms that decode to the same bytes are not the URL: only its canonical text verifies.
    for (const [what, form] of Object.entries(nonCanonicalForms(token))) {
      const answer = await post(`${prefix}/webhook/resume/${form}`, { x: 1 });
      expect(answer.status, what).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'FF_BAD_INPUT' } });
    }

    expect((await runView(runId)).nodes.hook?.status).toBe('waiting');
    expect((await post(url, { x: 2 })).status).toBe(200);
    expect(inlineItems((await runView(runId, 30)).nodes.hook?.output.main)).toEqual([{ json: { x: 2 } }]);
  });

  it('past its timeout the node fails with FF_RESUME_TIMEOUT and the run fails; the URL then answers 410', async () => {
    const runId = await startHookRun({ timeout: '2s' });
    const waiting = await waitingAtHook(runId);
    const wait = hookWait(waiting);
    expect(Date.parse(wait?.until ?? '') - Date.parse(wait?.since ?? '')).toBe(2_000);
    const done = await runView(runId, 30);
    expect(done.status).toBe('FAILED');
    expect(done.nodes.hook?.error).toMatchObject({ code: 'FF_RESUME_TIMEOUT' });
    expect(done.nodes.after).toBeUndefined();
    expect((await post(wait?.url ?? '', {})).status).toBe(410);
  });
});
