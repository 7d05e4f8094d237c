import { FlowForgeError } from '@flowforge/connectors-sdk';
import NodeVault from 'node-vault';
import type { Credential } from '../generated/prisma/client.ts';
import { type CredentialRef, otherBackend, type SecretBackend, type StoredColumns } from './secret-backend.ts';

export interface VaultSettings {
  /** FLOWFORGE_VAULT_ADDRESS: `http://127.0.0.1:8200`. */
  address: string;
  /** FLOWFORGE_VAULT_TOKEN. */
  token: string;
  /** FLOWFORGE_VAULT_MOUNT: the KV version 2 secrets engine's mount (`secret`). */
  mount: string;
  /** FLOWFORGE_VAULT_PREFIX: the path under the mount (`flowforge`). */
  prefix: string;
}

/**
 * Credential values in Vault or OpenBao (KV version 2) through node-vault: each at
 * `<mount>/data/<prefix>/<project id>/<credential name>`; setting one again writes a new version,
 * deleting it removes its metadata and every version. Vault encrypts at rest and keeps its own audit
 * log; the metadata (name, type, times) stays in PostgreSQL, so listing never touches Vault.
 *
 * Every call goes through `call`, which turns node-vault's failures into FlowForgeErrors from the
 * status and Vault's own error text alone: its errors (axios underneath) carry the request, whose
 * body is the secret and whose headers hold the Vault token, and must never reach a log.
 */
export class VaultSecretBackend implements SecretBackend {
  readonly kind = 'vault';
  readonly #settings: VaultSettings;
  readonly #client: NodeVault.client;

  constructor(settings: VaultSettings) {
    this.#settings = settings;
    this.#client = NodeVault({
      apiVersion: 'v1',
      endpoint: settings.address,
      token: settings.token,
      // A Vault that does not answer fails the call (and the start-up check) instead of hanging it.
      requestOptions: { timeout: 10_000 },
      // node-vault's default `debug` prints every request body (the secret) when DEBUG=node-vault is set.
      debug: () => {},
    });
  }

  async check(): Promise<void> {
    await this.#call('check the token (auth/token/lookup-self)', () => this.#client.tokenLookupSelf(), {
      forbidden: 'FLOWFORGE_VAULT_TOKEN is not valid for this Vault: set a token that may read and write the mount',
    });
    const mounts = (await this.#call('read the mounts (sys/mounts)', () => this.#client.mounts()).catch(
      () => undefined,
    )) as Record<string, { type?: string; options?: { version?: string } }> | undefined;
    // Tokens without sys/mounts access cannot look: the first write says then.
    const mount =
      mounts?.[`${this.#settings.mount}/`] ?? (mounts as { data?: typeof mounts })?.data?.[`${this.#settings.mount}/`];
    if (mounts && (mount?.type !== 'kv' || mount.options?.version !== '2')) {
      throw new FlowForgeError(
        'FF_CONFIG',
        `FLOWFORGE_VAULT_MOUNT: "${this.#settings.mount}" is not a KV version 2 secrets engine on ${this.#settings.address}`,
        { path: ['FLOWFORGE_VAULT_MOUNT'], hint: `enable one: bao secrets enable -path=${this.#settings.mount} kv-v2` },
      );
    }
  }

  async store(ref: CredentialRef, value: unknown): Promise<StoredColumns> {
    await this.#call(`write credential "${ref.name}"`, () =>
      this.#client.write(this.#path('data', ref), { data: value }),
    );
    return { backend: 'vault', ciphertext: null, wrappedKey: null, keyId: null };
  }

  async load(row: Credential): Promise<unknown> {
    if (row.backend !== 'vault') throw otherBackend(row, 'vault');
    const answer = (await this.#call(
      `read credential "${row.name}"`,
      () => this.#client.read(this.#path('data', row)),
      {
        missing: `credential "${row.name}" is listed, but Vault has no value at ${this.#path('data', row)}`,
      },
    )) as { data?: { data?: unknown } };
    return answer.data?.data;
  }

  async remove(row: Credential): Promise<void> {
    if (row.backend !== 'vault') return;
    // Gone already (deleted by hand in Vault) is what a delete wants.
    await this.#call(`delete credential "${row.name}"`, () => this.#client.delete(this.#path('metadata', row)), {
      ignoreMissing: true,
    });
  }

  #path(kind: 'data' | 'metadata', ref: Pick<CredentialRef, 'projectId' | 'name'>): string {
    return `${this.#settings.mount}/${kind}/${this.#settings.prefix}/${ref.projectId}/${ref.name}`;
  }

  async #call(what: string, call: () => Promise<unknown>, messages: CallMessages = {}): Promise<unknown> {
    try {
      return await call();
    } catch (error) {
      if (messages.ignoreMissing && statusOf(error) === 404) return undefined;
      throw this.#failure(what, error, messages);
    }
  }

  #failure(what: string, error: unknown, messages: CallMessages): FlowForgeError {
    const status = statusOf(error);
    const where = `Vault at ${this.#settings.address}`;
    if (status === undefined) {
      const code = (error as { code?: unknown }).code;
      return new FlowForgeError(
        'FF_UNAVAILABLE',
        `${where} did not answer (${typeof code === 'string' ? code : 'no answer'}): could not ${what}`,
        {
          hint: 'check that Vault runs and FLOWFORGE_VAULT_ADDRESS points at it',
        },
      );
    }
    // Vault's own error list says what was wrong (permission denied, no handler for route); it never holds the request.
    const body = (error as { response?: { body?: { errors?: unknown } } }).response?.body;
    const reason =
      Array.isArray(body?.errors) && body.errors.length > 0 ? `: ${body.errors.map(String).join('; ')}` : '';
    if (status === 404 && messages.missing !== undefined) {
      return new FlowForgeError('FF_NOT_FOUND', messages.missing, {
        hint: 'set the credential again (flowforge credentials set)',
      });
    }
    if (status === 403 || status === 401) {
      return new FlowForgeError('FF_CONFIG', messages.forbidden ?? `${where} refused to ${what} (${status}${reason})`, {
        path: ['FLOWFORGE_VAULT_TOKEN'],
        hint: `give the token a policy that allows create, read, update and delete on ${this.#settings.mount}/data/${this.#settings.prefix}/* and ${this.#settings.mount}/metadata/${this.#settings.prefix}/*`,
      });
    }
    return new FlowForgeError('FF_UNAVAILABLE', `${where} answered ${status} when asked to ${what}${reason}`, {
      hint: status === 503 ? 'Vault is sealed or in standby: unseal it or point at the active node' : undefined,
    });
  }
}

interface CallMessages {
  forbidden?: string;
  missing?: string;
  ignoreMissing?: boolean;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { response?: { statusCode?: unknown } }).response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
