import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { readConfig } from '../src/config.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/** FLOWFORGE_SECRETS_BACKEND=vault against the suite's real OpenBao dev server (KV v2 at secret/). */

const SET = `mutation ($name: String!, $value: JSON!) {
  setCredential(name: $name, type: "httpHeaderAuth", value: $value) { created credential { name } }
}`;

let cp: TestControlPlane;
let prefix: string;
const vault = () => ({ address: inject('vaultAddress'), token: inject('vaultToken'), mount: 'secret', prefix });

async function vaultRead(path: string): Promise<Response> {
  return fetch(`${inject('vaultAddress')}/v1/secret/data/${path}`, {
    headers: { 'x-vault-token': inject('vaultToken') },
  });
}

beforeAll(async () => {
  prefix = uniqueName('flowforge-test');
  cp = await startTestControlPlane({ secrets: { backend: 'vault', vault: vault() } });
});
afterAll(async () => {
  await cp?.close();
});

describe('the Vault backend', () => {
  it('keeps the value in KV v2 at <mount>/data/<prefix>/<project>/<name> and nothing of it in PostgreSQL', async () => {
    const name = uniqueName('vaulted');
    const value = `v-${randomUUID()}`;
    const answer = await cp.graphql(SET, { name, value: { name: 'X-API-Key', value } });
    expect(answer.body.data.setCredential).toEqual({ created: true, credential: { name } });
    const { projectId, prisma, credentials } = cp.app.flowforge.services;
    const row = await prisma.credential.findFirstOrThrow({ where: { name } });
    expect(row).toMatchObject({ backend: 'vault', ciphertext: null, wrappedKey: null, keyId: null });
    const stored = (await (await vaultRead(`${prefix}/${projectId}/${name}`)).json()) as { data: { data: unknown } };
    expect(stored.data.data).toEqual({ name: 'X-API-Key', value });
    expect(await credentials.backend.load(row)).toEqual({ name: 'X-API-Key', value });

    // Set again: a new version; delete: every version goes.
    await cp.graphql(SET, { name, value: { name: 'X-API-Key', value: `${value}-2` } });
    expect(await credentials.backend.load(await prisma.credential.findFirstOrThrow({ where: { name } }))).toEqual({
      name: 'X-API-Key',
      value: `${value}-2`,
    });
    await cp.graphql('mutation ($name: String!) { deleteCredential(name: $name) { name } }', { name });
    expect((await vaultRead(`${prefix}/${projectId}/${name}`)).status).toBe(404);
  });

  it('rotate-key says Vault holds the keys then', async () => {
    const answer = await cp.graphql('mutation { rotateEncryptionKey { keyId } }');
    expect(answer.body.errors?.[0]).toMatchObject({
      extensions: { code: 'FF_CONFIG' },
      message: expect.stringMatching(/Vault/),
    });
  });

  it('a wrong token stops the start with a message naming FLOWFORGE_VAULT_TOKEN, never the token', async () => {
    const token = `wrong-${randomUUID()}`;
    const failure = startTestControlPlane({ secrets: { backend: 'vault', vault: { ...vault(), token } } });
    const error = (await failure.catch((e: unknown) => e)) as Error & { code: string };
    expect(error.code).toBe('FF_CONFIG');
    expect(error.message).toMatch(/FLOWFORGE_VAULT_TOKEN is not valid/);
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(token);
  });

  it('a mount that is not KV v2 stops the start', async () => {
    const failure = startTestControlPlane({
      secrets: { backend: 'vault', vault: { ...vault(), mount: 'no-such-mount' } },
    });
    await expect(failure).rejects.toMatchObject({
      code: 'FF_CONFIG',
      message: expect.stringMatching(/FLOWFORGE_VAULT_MOUNT/),
    });
  });

  it('an unreachable Vault stops the start as FF_UNAVAILABLE', async () => {
    const failure = startTestControlPlane({
      secrets: { backend: 'vault', vault: { ...vault(), address: 'http://127.0.0.1:9' } },
    });
    await expect(failure).rejects.toMatchObject({
      code: 'FF_UNAVAILABLE',
      message: expect.stringMatching(/Vault at http:\/\/127.0.0.1:9/),
    });
  });
});

describe('Vault settings at start-up', () => {
  const base = { FLOWFORGE_DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', FLOWFORGE_SECRETS_BACKEND: 'vault' };

  it('needs an address and a token, each named when missing', () => {
    expect(() => readConfig({ ...base, FLOWFORGE_VAULT_TOKEN: 't' }, '/repo')).toThrow(
      /FLOWFORGE_VAULT_ADDRESS is not set/,
    );
    expect(() => readConfig({ ...base, FLOWFORGE_VAULT_ADDRESS: 'http://v:8200' }, '/repo')).toThrow(
      /FLOWFORGE_VAULT_TOKEN is not set/,
    );
    expect(() =>
      readConfig({ ...base, FLOWFORGE_VAULT_ADDRESS: 'ftp://v', FLOWFORGE_VAULT_TOKEN: 't' }, '/repo'),
    ).toThrow(/FLOWFORGE_VAULT_ADDRESS is invalid/);
    expect(() => readConfig({ ...base, FLOWFORGE_SECRETS_BACKEND: 'kms' }, '/repo')).toThrow(
      /FLOWFORGE_SECRETS_BACKEND is invalid/,
    );
  });

  it('takes Vault own VAULT_ADDR / VAULT_TOKEN too, and defaults the mount and prefix', () => {
    const config = readConfig({ ...base, VAULT_ADDR: 'http://vault:8200/', VAULT_TOKEN: 'root' }, '/repo');
    expect(config.secrets).toEqual({
      backend: 'vault',
      vault: { address: 'http://vault:8200', token: 'root', mount: 'secret', prefix: 'flowforge' },
    });
  });
});
