import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';
import { pushAndActivate, runView, schedulesOf } from './support/triggers.ts';

/** examples/triggers/, as the README's tour uses them: push, activate, then the trigger starts the run. */
const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../examples/triggers/${name}.json`, import.meta.url), 'utf8'));

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

describe('the trigger examples', () => {
  it('order-webhook answers POST /webhook/orders with the acknowledged order', async () => {
    await pushAndActivate(stack, example('order-webhook'));
    const response = await fetch(`${stack.url}/webhook/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'A-7', total: 120 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ order: 'A-7', total: 120, received: true });
  });

  it('order-total answers POST /webhook/orders/<id> from its core.respondToWebhook, only once activated', async () => {
    const post = () =>
      fetch(`${stack.url}/webhook/orders/A-7`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          items: [
            { price: 12.5, qty: 2 },
            { price: 5, qty: 1 },
          ],
        }),
      });
    const definition = example('order-total');
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
    expect((await post()).status).toBe(404);
    await pushAndActivate(stack, definition);
    const answer = await post();
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ order: 'A-7', total: 30 });
    const run = await runView(stack, answer.headers.get('x-flowforge-run-id') ?? '', 30);
    expect(run).toMatchObject({ status: 'COMPLETED', trigger: { kind: 'webhook' } });
  });

  it('nightly-report is scheduled at 06:00 Berlin on working days, and a triggered run stamps when it was due', async () => {
    await pushAndActivate(stack, example('nightly-report'));
    const [schedule] = await schedulesOf(stack, 'nightly-report');
    expect(schedule).toMatchObject({
      version: 1,
      paused: false,
      spec: { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' },
    });
    for (const time of schedule?.nextRuns ?? []) {
      expect([4, 5]).toContain(new Date(time).getUTCHours()); // 06:00 in Berlin, summer or winter
      expect([1, 2, 3, 4, 5]).toContain(new Date(time).getUTCDay());
    }
    const { triggerSchedule } = await stack.graphql<{ triggerSchedule: Array<{ runId: string }> }>(
      'mutation { triggerSchedule(workflow: "nightly-report") { runId } }',
    );
    const run = await runView(stack, triggerSchedule[0]?.runId ?? '', 30);
    expect(run.status).toBe('COMPLETED');
    const [item] = (run.nodes.report?.output.main ?? []) as Array<{ json: Record<string, string> }>;
    expect(item?.json.report).toBe(`nightly report due ${item?.json.scheduledAt}`);
    expect(item?.json.timezone).toBe('Europe/Berlin');
  });
});
