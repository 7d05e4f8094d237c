import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';
import { activateWebhookWorkflow, callWebhook } from './support/triggers.ts';

/**
 * Webhook auth (issue 13): header, basic and hmac triggers checked against stored credentials on
 * the real stack. Every refusal is the same 401 and starts no run; the secret never reaches the
 * run's trigger item.
 */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());

const SET =
  'mutation ($n: String!, $t: String!, $v: JSON!) { setCredential(name: $n, type: $t, value: $v) { created } }';
const UNAUTHENTICATED = { error: { code: 'FF_UNAUTHENTICATED', message: 'the request is not authenticated' } };

/** A workflow that answers with the headers its trigger item got. */
async function guarded(auth: Record<string, unknown>) {
  const path = uniqueName('guarded');
  const workflow = uniqueName('hook-auth');
  const echo = { id: 'echo', type: 'core.set', params: { values: { headers: '={{ $json.headers }}' } } };
  await activateWebhookWorkflow(stack, workflow, { path, auth }, [echo], [{ from: 'hook', to: 'echo' }]);
  return { path, workflow };
}

async function runsOf(workflow: string): Promise<unknown[]> {
  const data = await stack.graphql<{ runs: unknown[] }>('query ($w: String) { runs(workflow: $w) { runId } }', {
    w: workflow,
  });
  return data.runs;
}

function expectRefused(response: Awaited<ReturnType<typeof callWebhook>>) {
  expect(response.status).toBe(401);
  expect(response.json).toEqual(UNAUTHENTICATED);
  expect(response.headers.get('x-flowforge-run-id')).toBeNull();
}

describe('webhook auth', () => {
  it('header: the named header must carry the value; it is kept out of the trigger item', async () => {
    const credential = uniqueName('hook-key');
    await expect(guarded({ type: 'header', credential })).rejects.toThrow(/FF_NOT_FOUND.*does not exist/);
    await stack.graphql(SET, { n: credential, t: 'httpHeaderAuth', v: { name: 'X-Api-Key', value: 'k-0123456789' } });
    const { path, workflow } = await guarded({ type: 'header', credential });

    expectRefused(await callWebhook(stack, path, { body: '{}' }));
    expectRefused(await callWebhook(stack, path, { body: '{}', headers: { 'x-api-key': 'k-012345678' } }));
    expectRefused(await callWebhook(stack, path, { body: '{"broken": ', headers: { 'x-api-key': 'wrong' } }));
    expect(await runsOf(workflow)).toHaveLength(0);

    const ok = await callWebhook(stack, path, { body: '{}', headers: { 'x-api-key': 'k-0123456789' } });
    expect(ok.status).toBe(200);
    const headers = ok.json.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-api-key']).toBeUndefined();
    expect(ok.text).not.toContain('k-0123456789');
  });

  it('basic: user and password must match; a refusal asks for basic auth', async () => {
    const credential = uniqueName('hook-basic');
    await stack.graphql(SET, { n: credential, t: 'httpBasicAuth', v: { user: 'ci', password: 'pa55-word' } });
    const { path } = await guarded({ type: 'basic', credential });
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });

    const wrong = await callWebhook(stack, path, { body: '{}', headers: basic('ci', 'pa55-wore') });
    expectRefused(wrong);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm="flowforge"/);
    expectRefused(await callWebhook(stack, path, { body: '{}', headers: basic('cj', 'pa55-word') }));

    const ok = await callWebhook(stack, path, { body: '{}', headers: basic('ci', 'pa55-word') });
    expect(ok.status).toBe(200);
    expect((ok.json.headers as Record<string, string>).authorization).toBeUndefined();
  });

  it('hmac: X-FlowForge-Signature over "<t>.<raw body>", at most 5 minutes old, and of this very body', async () => {
    const credential = uniqueName('hook-hmac');
    const secret = 'whsec-0123456789abcdef';
    await stack.graphql(SET, { n: credential, t: 'httpHeaderAuth', v: { name: 'X-Other', value: 'v' } });
    await expect(guarded({ type: 'hmac', credential })).rejects.toThrow(/FF_VALIDATION.*takes a webhookHmacSecret/);
    await stack.graphql(SET, { n: credential, t: 'webhookHmacSecret', v: { secret } });
    const { path, workflow } = await guarded({ type: 'hmac', credential });
    const body = JSON.stringify({ order: 'A-7', amount: 120 });
    const signed = (text: string, at = Math.floor(Date.now() / 1000), key = secret) => ({
      'x-flowforge-signature': `t=${at},v1=${createHmac('sha256', key).update(`${at}.${text}`).digest('hex')}`,
    });

    expectRefused(await callWebhook(stack, path, { body }));
    expectRefused(await callWebhook(stack, path, { body: body.replace('120', '12000'), headers: signed(body) }));
    expectRefused(await callWebhook(stack, path, { body, headers: signed(body, Math.floor(Date.now() / 1000) - 600) }));
    expectRefused(await callWebhook(stack, path, { body, headers: signed(body, undefined, 'another-secret-value') }));
    expect(await runsOf(workflow)).toHaveLength(0);

    const ok = await callWebhook(stack, path, { body, headers: signed(body) });
    expect(ok.status).toBe(200);
    expect(await runsOf(workflow)).toHaveLength(1);
  });
});
