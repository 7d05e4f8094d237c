import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';

/** A 256-bit AES master key and its id (a fingerprint that names it in rows, never the key). */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/**
 * The master keys the control plane knows: the first wraps new data keys, every one unwraps. After
 * a rotation the old key stays in the ring until no data key uses it, so nothing is ever unreadable.
 */
export interface KeyRing {
  current: MasterKey;
  byId: ReadonlyMap<string, MasterKey>;
  /** Where the ring came from: a file the control plane may rewrite, or the environment, which it cannot. */
  source: { kind: 'file'; file: string } | { kind: 'env'; variable: string };
}

export const ENCRYPTION_KEY_VARIABLE = 'FLOWFORGE_ENCRYPTION_KEY';

export function encryptionKeyFile(home: string): string {
  return join(home, 'keys', 'encryption.key');
}

/**
 * The ring from FLOWFORGE_ENCRYPTION_KEY (comma-separated base64 keys, the current one first), else
 * from `$home/keys/encryption.key` (one base64 key per line, current first), which is generated on
 * first start (mode 0600) like the run-signing key.
 */
export function loadKeyRing(options: { home: string; fromEnv?: string | undefined }): KeyRing {
  if (options.fromEnv !== undefined) {
    const keys = parseKeys(options.fromEnv.split(','), ENCRYPTION_KEY_VARIABLE);
    return ring(keys, { kind: 'env', variable: ENCRYPTION_KEY_VARIABLE });
  }
  const file = encryptionKeyFile(options.home);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return ring(parseKeys(lines, file), { kind: 'file', file });
}

function parseKeys(texts: readonly string[], where: string): MasterKey[] {
  const keys = texts.map((text, index) => {
    const trimmed = text.trim();
    const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (key.length !== 32 || (!/^[0-9a-f]{64}$/i.test(trimmed) && key.toString('base64') !== trimmed)) {
      // Never the text itself: it is (or is meant to be) a key.
      throw new FlowForgeError('FF_CONFIG', `${where}: key ${index + 1} is not 32 bytes of base64 (or 64 hex digits)`, {
        path: [where],
        hint: 'make one with: openssl rand -base64 32 (or node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))")',
      });
    }
    return { id: keyIdOf(key), key };
  });
  if (keys.length === 0) {
    throw new FlowForgeError('FF_CONFIG', `${where} holds no encryption key`, {
      path: [where],
      hint: 'put a base64 32-byte key in it (openssl rand -base64 32), or remove the file to generate one',
    });
  }
  return keys;
}

function ring(keys: MasterKey[], source: KeyRing['source']): KeyRing {
  return { current: keys[0] as MasterKey, byId: new Map(keys.map((key) => [key.id, key])), source };
}

/** sha256 of the key, shortened: enough to tell keys apart, useless to find one. */
export function keyIdOf(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Puts a new random key first in the key file, keeping every older one: written to a temporary
 * file, synced, renamed over the old file, and the directory synced, so a crash leaves either the
 * old file or the new one whole, never a ring without the keys the rows need.
 */
export function installNewKey(current: KeyRing): KeyRing {
  if (current.source.kind !== 'file') throw fromEnvironment(current.source.variable);
  const key = randomBytes(32);
  const keys = [{ id: keyIdOf(key), key }, ...current.byId.values()];
  writeRing(current.source.file, keys);
  return ring(keys, current.source);
}

/** Removes keys nothing uses from the key file (after a finished rotation). The current key always stays. */
export function retireKeys(current: KeyRing, unused: readonly string[]): KeyRing {
  if (current.source.kind !== 'file' || unused.length === 0) return current;
  const keys = [...current.byId.values()].filter((key) => key === current.current || !unused.includes(key.id));
  writeRing(current.source.file, keys);
  return ring(keys, current.source);
}

function writeRing(file: string, keys: readonly MasterKey[]): void {
  const text = `${keys.map((key) => key.key.toString('base64')).join('\n')}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  syncPath(temporary);
  renameSync(temporary, file);
  syncPath(dirname(file));
}

function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fromEnvironment(variable: string): FlowForgeError {
  return new FlowForgeError(
    'FF_CONFIG',
    `the master key comes from ${variable}, which the control plane cannot change`,
    {
      hint:
        `make a new key (openssl rand -base64 32), put it first in ${variable} ("<new>,<old>"), restart the ` +
        'control plane, then run flowforge credentials rotate-key to re-wrap every data key with it',
    },
  );
}
