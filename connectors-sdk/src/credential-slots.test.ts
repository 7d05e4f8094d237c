import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinTypeRegistry } from './builtin/index.ts';
import { credentialReferences } from './credential-slots.ts';
import { defineNode } from './define-node.ts';
import { REDACTED } from './secret-scrubber.ts';
import { jsonOf, runNodeForTest } from './testing/index.ts';
import { validateWorkflow } from './validate-workflow.ts';

const workflow = (fetch: Record<string, unknown>) => ({
  schemaVersion: 1,
  name: 'with-credentials',
  nodes: [
    { id: 'start', type: 'trigger.manual' },
    { id: 'fetch', type: 'http.request', params: { url: 'http://127.0.0.1:1/x' }, ...fetch },
  ],
  edges: [{ from: 'start', to: 'fetch' }],
});

describe('credential slots in the workflow file', () => {
  it('a node names a credential in a slot of its type', () => {
    const result = validateWorkflow(
      workflow({
        params: { url: 'http://127.0.0.1:1/x', authentication: 'httpBearerAuth' },
        credentials: { httpBearerAuth: 'github' },
      }),
      builtinTypeRegistry,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(credentialReferences(result.definition, builtinTypeRegistry)).toEqual([
      { nodeId: 'fetch', nodeIndex: 1, slot: 'httpBearerAuth', name: 'github', type: 'httpBearerAuth' },
    ]);
  });

  it('an unknown slot, a bad name, a missing required slot and an expression for authentication are refused', () => {
    const issues = (input: Record<string, unknown>) => {
      const result = validateWorkflow(workflow(input), builtinTypeRegistry);
      return result.ok ? [] : result.issues.map((issue) => `${issue.code} ${issue.path.join('.')} ${issue.message}`);
    };
    expect(issues({ credentials: { apiKey: 'x' } })).toEqual([
      expect.stringMatching(
        /^FF_VALIDATION nodes.1.credentials.apiKey node "fetch" \(http.request\) has no credential slot "apiKey"/,
      ),
    ]);
    expect(issues({ credentials: { httpBearerAuth: 'Not Valid' } })[0]).toMatch(
      /^FF_VALIDATION nodes.1.credentials.httpBearerAuth a credential name is/,
    );
    expect(issues({ params: { url: 'http://127.0.0.1:1/x', authentication: 'httpBasicAuth' } })).toEqual([
      expect.stringMatching(
        /^FF_VALIDATION nodes.1.credentials node "fetch" needs a credential of type httpBasicAuth in slot "httpBasicAuth"/,
      ),
    ]);
    expect(issues({ params: { url: 'http://127.0.0.1:1/x', authentication: '={{ "httpBasicAuth" }}' } })[0]).toMatch(
      /^FF_INVALID_PARAMS nodes.1.params.authentication/,
    );
  });

  it('a node without credentials hashes as before: no credentials key is filled in', () => {
    const result = validateWorkflow(workflow({}), builtinTypeRegistry);
    expect(result.ok && 'credentials' in (result.definition.nodes[1] ?? {})).toBe(false);
  });
});

describe('ctx.credential', () => {
  const echo = defineNode({
    type: 'test.echoCredential',
    version: 1,
    displayName: 'echo',
    description: 'puts its credential into its output and its error',
    params: z.object({ fail: z.boolean().default(false) }),
    inputs: ['main'],
    outputs: ['main'],
    credentials: [{ name: 'httpBearerAuth', type: 'httpBearerAuth' }],
    defaultTimeout: '1m',
    async execute(ctx) {
      const { token } = await ctx.credential<{ token: string }>('httpBearerAuth');
      const derived = ctx.secret(Buffer.from(token).toString('base64'));
      if (ctx.params.fail) throw new Error(`the API refused Bearer ${token} (${derived})`);
      return { main: [{ json: { header: `Bearer ${token}`, derived } }] };
    },
  });

  it('gives the node its value and scrubs it, and what it derived, from outputs and errors', async () => {
    const token = 'tok-0123456789';
    const result = await runNodeForTest(echo, { credentials: { httpBearerAuth: { token } } });
    expect(jsonOf(result)).toEqual([{ header: `Bearer ${REDACTED}`, derived: REDACTED }]);
    const failure = runNodeForTest(echo, { params: { fail: true }, credentials: { httpBearerAuth: { token } } });
    await expect(failure).rejects.toThrow(`the API refused Bearer ${REDACTED} (${REDACTED})`);
  });

  it('a slot the node names no credential in fails with FF_VALIDATION', async () => {
    await expect(runNodeForTest(echo)).rejects.toMatchObject({ code: 'FF_VALIDATION' });
  });
});
