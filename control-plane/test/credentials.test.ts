import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CREDENTIAL_RESOLVE_PATH } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { buildApp } from '../src/app.ts';
import type { SecretBackend } from '../src/credentials/secret-backend.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * Credentials through GraphQL on a real PostgreSQL (no worker): write-only values, validation that
 * never echoes, audit without values, AES-256-GCM at rest, the start-time check, and the resolution
 * route's refusals. Values reaching a node are covered end to end in scripts/e2e/credentials.test.ts.
 */

const SET = `mutation ($name: String!, $type: String!, $value: JSON!) {
  setCredential(name: $name, type: $type, value: $value) { created credential { name type createdAt updatedAt } }
}`;
const LIST = '{ credentials { name type createdAt updatedAt } }';
const DELETE = 'mutation ($name: String!) { deleteCredential(name: $name) { name type } }';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.close();
});

const secret = () => `canary-${randomUUID()}`;
const backend = (): SecretBackend => cp.app.flowforge.services.credentials.backend;
const row = (name: string) => cp.app.flowforge.services.prisma.credential.findFirstOrThrow({ where: { name } });

function bearerWorkflow(credential: string, name = uniqueName('uses-credential')) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      {
        id: 'call',
        type: 'http.request',
        params: { url: 'http://127.0.0.1:9/x', authentication: 'httpBearerAuth' },
        credentials: { httpBearerAuth: credential },
      },
    ],
    edges: [{ from: 'start', to: 'call' }],
  };
}

describe('credentials through GraphQL', () => {
  it('set creates, set again replaces, list shows metadata only, delete removes', async () => {
    const name = uniqueName('api');
    const token = secret();
    const created = await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.setCredential).toMatchObject({
      created: true,
      credential: { name, type: 'httpBearerAuth' },
    });
    const replaced = await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token: secret() } });
    expect(replaced.body.data.setCredential.created).toBe(false);

    const listed = await cp.graphql(LIST);
    const entry = listed.body.data.credentials.find((c: { name: string }) => c.name === name);
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'name', 'type', 'updatedAt']);
    expect(Date.parse(entry.updatedAt)).toBeGreaterThanOrEqual(Date.parse(entry.createdAt));
    expect(JSON.stringify(listed.body)).not.toContain(token);

    expect((await cp.graphql(DELETE, { name })).body.data.deleteCredential).toEqual({ name, type: 'httpBearerAuth' });
    const again = await cp.graphql(DELETE, { name });
    expect(again.body.errors?.[0]?.extensions.code).toBe('FF_NOT_FOUND');
  });

  it('no query can return a value: the Credential type has no such field', async () => {
    const answer = await cp.graphql('{ credentials { name value } }');
    expect(answer.body.errors?.[0]?.extensions.code).toBe('FF_BAD_INPUT');
  });

  it('an invalid value is refused naming the field, never quoting the value', async () => {
    const password = secret();
    const answer = await cp.graphql(SET, {
      name: uniqueName('basic'),
      type: 'httpBasicAuth',
      value: { user: `bad:${password}`, pasword: password },
    });
    const [error] = answer.body.errors ?? [];
    expect(error?.extensions.code).toBe('FF_BAD_INPUT');
    expect(error?.message).toMatch(/field "user"/);
    expect(error?.message).toMatch(/field "password" is missing/);
    expect(error?.message).toMatch(/unknown field\(s\) "pasword"/);
    expect(((error?.extensions.issues ?? []) as Array<{ path: unknown[] }>).map((i) => i.path)).toContainEqual([
      'value',
      'user',
    ]);
    expect(JSON.stringify(answer.body)).not.toContain(password);
  });

  it('an unknown type and a bad name are refused', async () => {
    const type = await cp.graphql(SET, { name: uniqueName('x'), type: 'smtpAuth', value: {} });
    expect(type.body.errors?.[0]?.message).toMatch(/unknown credential type "smtpAuth"; known types: .*httpBasicAuth/);
    const name = await cp.graphql(SET, { name: 'Bad Name', type: 'httpBearerAuth', value: { token: 'abcdef' } });
    expect(name.body.errors?.[0]?.extensions).toMatchObject({ code: 'FF_BAD_INPUT', path: ['name'] });
  });

  it('set and delete are audited without the value', async () => {
    const name = uniqueName('audited');
    const token = secret();
    await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token } });
    await cp.graphql(DELETE, { name });
    const events = await cp.app.flowforge.services.prisma.auditEvent.findMany({
      where: { target: `credential:${name}` },
    });
    expect(events.map((e) => e.action).sort()).toEqual(['credential.delete', 'credential.set']);
    expect(events.find((e) => e.action === 'credential.set')?.data).toEqual({
      type: 'httpBearerAuth',
      created: true,
      backend: 'local',
    });
    expect(JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(
      token,
    );
  });
});

describe('at rest', () => {
  it('the row holds AES-256-GCM ciphertext and a wrapped data key; the key file is 0600; a restart decrypts it', async () => {
    const name = uniqueName('at-rest');
    const token = secret();
    await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token } });
    const stored = await row(name);
    expect(stored.backend).toBe('local');
    expect(Buffer.from(stored.ciphertext ?? []).toString('latin1')).not.toContain(token);
    expect(stored.wrappedKey?.length).toBe(12 + 16 + 32);
    const keyFile = join(cp.home, 'keys', 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(stored.keyId).toMatch(/^k[0-9a-f]{16}$/);

    const restarted = await buildApp(cp.options);
    try {
      expect(await restarted.flowforge.services.credentials.backend.load(stored)).toEqual({ token });
    } finally {
      await restarted.close();
    }
    expect(readFileSync(keyFile, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('ciphertexts are bound to their credential: one swapped into another row does not decrypt', async () => {
    const [a, b] = [uniqueName('bound-a'), uniqueName('bound-b')];
    await cp.graphql(SET, { name: a, type: 'httpBearerAuth', value: { token: secret() } });
    await cp.graphql(SET, { name: b, type: 'httpBearerAuth', value: { token: secret() } });
    const [rowA, rowB] = [await row(a), await row(b)];
    await expect(
      backend().load({ ...rowB, ciphertext: rowA.ciphertext, wrappedKey: rowA.wrappedKey }),
    ).rejects.toMatchObject({
      code: 'FF_INTERNAL',
      message: expect.stringMatching(/does not decrypt/),
    });
  });
});

describe('a run that names credentials', () => {
  const push = async (definition: object) => {
    const pushed = await cp.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { workflow } }', {
      d: definition,
    });
    expect(pushed.body.errors).toBeUndefined();
    return (definition as { name: string }).name;
  };
  const start = (workflow: string) =>
    cp.graphql('mutation ($w: String!) { startRun(workflow: $w) { runId } }', { w: workflow });

  it('is refused at start, naming the credential and the node, when the credential does not exist', async () => {
    const missing = uniqueName('missing');
    const answer = await start(await push(bearerWorkflow(missing)));
    const [error] = answer.body.errors ?? [];
    expect(error?.extensions.code).toBe('FF_NOT_FOUND');
    expect(error?.message).toMatch(
      new RegExp(
        `node "call" of workflow ".*" names credential "${missing}" \\(slot httpBearerAuth\\), which does not exist`,
      ),
    );
    expect(error?.extensions.hint).toContain(`flowforge credentials set ${missing} --type httpBearerAuth`);
  });

  it('is refused when the credential is of another type than the slot takes', async () => {
    const name = uniqueName('basic-not-bearer');
    await cp.graphql(SET, { name, type: 'httpBasicAuth', value: { user: 'u', password: 'password' } });
    const answer = await start(await push(bearerWorkflow(name)));
    expect(answer.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/slot httpBearerAuth, which takes httpBearerAuth, but ".*" is httpBasicAuth/),
      extensions: { code: 'FF_VALIDATION' },
    });
  });

  it('starts when it exists', async () => {
    const name = uniqueName('present');
    await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token: secret() } });
    const answer = await start(await push(bearerWorkflow(name)));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.startRun.runId).toMatch(/^run-/);
  });
});

describe('the resolution route', () => {
  const resolve = (body: unknown, token?: string) =>
    cp.app.inject({
      method: 'POST',
      url: CREDENTIAL_RESOLVE_PATH,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      payload: body as Record<string, unknown>,
    });
  const request = {
    workflowId: 'run-x',
    executionRunId: randomUUID(),
    activityId: 'call',
    nodeId: 'call',
    slot: 'httpBearerAuth',
  };

  it('answers 401 without the worker token, and with a wrong one', async () => {
    expect((await resolve(request)).statusCode).toBe(401);
    const wrong = await resolve(request, 'x'.repeat(43));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('FF_UNAUTHENTICATED');
  });

  it('answers 403 for a run Temporal does not know, even with the token', async () => {
    const answer = await resolve(request, cp.app.flowforge.services.credentials.workerToken);
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error.message).toMatch(
      /credential refused: run "run-x" node "call" slot "httpBearerAuth": Temporal knows no execution/,
    );
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('answers 403 for a running run whose node no worker runs (nobody holds its activity)', async () => {
    const name = uniqueName('held');
    await cp.graphql(SET, { name, type: 'httpBearerAuth', value: { token: secret() } });
    const definition = bearerWorkflow(name);
    await cp.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { workflow } }', { d: definition });
    const started = await cp.graphql('mutation ($w: String!) { startRun(workflow: $w) { runId } }', {
      w: definition.name,
    });
    const runId = started.body.data.startRun.runId as string;
    const description = await cp.app.flowforge.services.temporal.workflow.getHandle(runId).describe();
    const answer = await resolve(
      { ...request, workflowId: runId, executionRunId: description.runId },
      cp.app.flowforge.services.credentials.workerToken,
    );
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error.message).toMatch(/the node is not running/);
    await cp.app.flowforge.services.temporal.workflow.getHandle(runId).terminate('test done');
  });

  it('a bad body is a 400', async () => {
    const answer = await resolve({ workflowId: 'x' }, cp.app.flowforge.services.credentials.workerToken);
    expect(answer.statusCode).toBe(400);
  });
});
