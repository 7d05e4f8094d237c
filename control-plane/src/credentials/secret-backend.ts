import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { Credential } from '../generated/prisma/client.ts';
import { open, seal } from './envelope.ts';
import type { KeyRing } from './master-keys.ts';

/** A credential as the backends see it: its identity, never its value. */
export interface CredentialRef {
  id: string;
  projectId: string;
  name: string;
  type: string;
}

/** The columns a backend fills in the Credential row. */
export interface StoredColumns {
  backend: 'local' | 'vault';
  ciphertext: Uint8Array<ArrayBuffer> | null;
  wrappedKey: Uint8Array<ArrayBuffer> | null;
  keyId: string | null;
}

/** Where credential values live: encrypted in PostgreSQL, or in Vault/OpenBao. The metadata is always in PostgreSQL. */
export interface SecretBackend {
  readonly kind: 'local' | 'vault';
  /** Start-up check (a reachable Vault, a valid token); throws FF_CONFIG / FF_UNAVAILABLE naming the setting. */
  check(): Promise<void>;
  store(ref: CredentialRef, value: unknown): Promise<StoredColumns>;
  load(row: Credential): Promise<unknown>;
  /** After the row is deleted (Vault: every version of the secret). */
  remove(row: Credential): Promise<void>;
}

/**
 * The default backend: the value's JSON, AES-256-GCM envelope-encrypted (envelope.ts) in the row.
 * The key ring is replaced by a rotation (key-rotation.ts), hence a getter.
 */
export class LocalSecretBackend implements SecretBackend {
  readonly kind = 'local';
  #ring: KeyRing;

  constructor(ring: KeyRing) {
    this.#ring = ring;
  }

  get ring(): KeyRing {
    return this.#ring;
  }

  set ring(ring: KeyRing) {
    this.#ring = ring;
  }

  async check(): Promise<void> {}

  async store(ref: CredentialRef, value: unknown): Promise<StoredColumns> {
    const sealed = seal(this.#ring, Buffer.from(JSON.stringify(value)), { subject: subjectOf(ref), type: ref.type });
    return {
      backend: 'local',
      ciphertext: new Uint8Array(sealed.ciphertext),
      wrappedKey: new Uint8Array(sealed.wrappedKey),
      keyId: sealed.keyId,
    };
  }

  async load(row: Credential): Promise<unknown> {
    if (row.backend !== 'local' || !row.ciphertext || !row.wrappedKey || !row.keyId) throw otherBackend(row, 'local');
    const plaintext = open(
      this.#ring,
      { ciphertext: Buffer.from(row.ciphertext), wrappedKey: Buffer.from(row.wrappedKey), keyId: row.keyId },
      { subject: subjectOf(row), type: row.type },
    );
    try {
      return JSON.parse(plaintext.toString('utf8'));
    } finally {
      plaintext.fill(0);
    }
  }

  async remove(): Promise<void> {}
}

export function otherBackend(row: Pick<Credential, 'name' | 'backend'>, running: string): FlowForgeError {
  return new FlowForgeError(
    'FF_CONFIG',
    `credential "${row.name}" is stored in the ${row.backend} backend, but this control plane uses ${running}`,
    {
      hint: `start the control plane with FLOWFORGE_SECRETS_BACKEND=${row.backend}, or set the credential again to move it`,
    },
  );
}

/** How the envelope names a credential: its project and name (unique together). */
export function subjectOf(ref: Pick<CredentialRef, 'projectId' | 'name'>): string {
  return `${ref.projectId}/${ref.name}`;
}
