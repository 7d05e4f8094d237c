import { validateWorkflow } from '@flowforge/connectors-sdk';
import { builtinTypeRegistry, triggerWebhookType } from '@flowforge/connectors-sdk/builtin';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { triggerWebhook } from './trigger-webhook.ts';

const request = { method: 'POST', headers: { 'x-a': '1' }, params: { id: '7' }, query: {}, body: { qty: 2 } };

describe('trigger.webhook', () => {
  it('outputs the request item the control plane built, as n8n does', async () => {
    const result = await runNodeForTest(triggerWebhook, {
      params: { path: 'orders/:id' },
      runInput: { json: request },
    });
    expect(jsonOf(result)).toEqual([request]);
  });

  it('fills in the defaults and reads the route for activation from its params', () => {
    const route = triggerWebhookType.capabilities?.webhook?.({ path: 'orders/:id', respond: 'immediately' });
    expect(route).toEqual({
      path: 'orders/:id',
      method: 'POST',
      respond: 'immediately',
      responseTimeout: '30s',
      auth: { type: 'none' },
    });
  });

  it('refuses a path that is not URL segments, the resume prefix, and auth without its credential', () => {
    const check = (params: Record<string, unknown>) => {
      const result = validateWorkflow(
        { schemaVersion: 1, name: 'hook', nodes: [{ id: 'hook', type: 'trigger.webhook', params }] },
        builtinTypeRegistry,
      );
      return result.ok ? [] : result.issues.map((issue) => [issue.code, issue.path.slice(3).join('.')]);
    };
    expect(check({ path: 'orders/new', method: 'PUT', auth: { type: 'none' } })).toEqual([]);
    expect(check({ path: 'orders/new?x=1' })).toEqual([['FF_INVALID_PARAMS', 'path']]);
    expect(check({ path: 'resume/x' })).toEqual([['FF_INVALID_PARAMS', 'path']]);
    expect(check({ path: 'ok', auth: { type: 'header' } })).toEqual([['FF_INVALID_PARAMS', 'auth.credential']]);
    expect(check({ path: '={{ $json.path }}' })).toEqual([['FF_INVALID_PARAMS', 'path']]);
  });
});
