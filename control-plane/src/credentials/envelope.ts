import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { KeyRing, MasterKey } from './master-keys.ts';

/**
 * AES-256-GCM envelope encryption with node:crypto (OpenSSL underneath). Each secret gets a fresh
 * random 256-bit data key that encrypts it once; the data key is stored wrapped (encrypted, again
 * AES-256-GCM) by a master key. GCM authenticates as well as encrypts, so a changed byte fails the
 * decryption instead of yielding another value; the associated data binds each ciphertext to its
 * credential and each wrapped key to its credential and master key, so rows cannot be swapped.
 * Nonces are 96 random bits: a data key encrypts one message, and a master key wraps far fewer than
 * the 2^32 keys after which random GCM nonces start to risk a repeat. Rotating the master key only
 * re-wraps the 60-byte data keys; the secrets' ciphertexts are never touched.
 *
 * Why node:crypto suffices: AES-GCM, a CSPRNG and constant-time tag checks are all there, in
 * OpenSSL's audited implementation; a library on top would add a dependency, not safety.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  /** nonce | tag | ciphertext of the value under the data key. */
  ciphertext: Buffer;
  /** nonce | tag | the data key under the master key `keyId`. */
  wrappedKey: Buffer;
  keyId: string;
}

/**
 * What binds the ciphertexts to one credential: `<project id>/<name>` (what makes a credential
 * unique; a row id would not survive two concurrent first sets of one name) and its type.
 */
export interface EnvelopeContext {
  subject: string;
  type: string;
}

export function seal(ring: KeyRing, plaintext: Buffer, context: EnvelopeContext): Sealed {
  const dataKey = randomBytes(32);
  try {
    const ciphertext = encrypt(dataKey, plaintext, valueAad(context));
    return { ciphertext, wrappedKey: wrap(ring.current, dataKey, context.subject), keyId: ring.current.id };
  } finally {
    dataKey.fill(0);
  }
}

export function open(ring: KeyRing, sealed: Sealed, context: EnvelopeContext): Buffer {
  const dataKey = unwrap(ring, sealed, context.subject);
  try {
    return decrypt(dataKey, sealed.ciphertext, valueAad(context), `credential ${context.subject}`);
  } finally {
    dataKey.fill(0);
  }
}

/** The same data key, wrapped by the ring's current master key (and checked to unwrap before it is returned). */
export function rewrap(ring: KeyRing, sealed: Sealed, subject: string): Pick<Sealed, 'wrappedKey' | 'keyId'> {
  const dataKey = unwrap(ring, sealed, subject);
  try {
    const wrappedKey = wrap(ring.current, dataKey, subject);
    const check = unwrap(ring, { ...sealed, wrappedKey, keyId: ring.current.id }, subject);
    const same = check.equals(dataKey);
    check.fill(0);
    if (!same)
      throw new FlowForgeError('FF_INTERNAL', `re-wrapping the data key of credential ${subject} did not round-trip`);
    return { wrappedKey, keyId: ring.current.id };
  } finally {
    dataKey.fill(0);
  }
}

function wrap(master: MasterKey, dataKey: Buffer, subject: string): Buffer {
  return encrypt(master.key, dataKey, wrapAad(subject, master.id));
}

function unwrap(ring: KeyRing, sealed: Sealed, subject: string): Buffer {
  const master = ring.byId.get(sealed.keyId);
  if (!master) {
    throw new FlowForgeError(
      'FF_CONFIG',
      `credential ${subject} is encrypted with master key ${sealed.keyId}, which this control plane does not have`,
      {
        hint: 'start the control plane with the key ring that wrote it (FLOWFORGE_ENCRYPTION_KEY or $FLOWFORGE_HOME/keys/encryption.key), old keys after the current one',
      },
    );
  }
  return decrypt(master.key, sealed.wrappedKey, wrapAad(subject, master.id), `the data key of credential ${subject}`);
}

function valueAad(context: EnvelopeContext): Buffer {
  return Buffer.from(`flowforge:credential-value:v1:${context.subject}:${context.type}`);
}

function wrapAad(subject: string, keyId: string): Buffer {
  return Buffer.from(`flowforge:data-key:v1:${subject}:${keyId}`);
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: Buffer, what: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new FlowForgeError(
      'FF_INTERNAL',
      `${what} does not decrypt: the stored bytes were changed, or the key is not the one that wrote them`,
      {
        hint: 'set the credential again (flowforge credentials set) if its row was damaged',
      },
    );
  }
}
