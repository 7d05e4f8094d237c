import { createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { generateSigningKeys, loadPrivateKey } from '@flowforge/connectors-sdk/run-request';

export interface RunSigningKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** Where the public key was written: the worker reads it from there. */
  publicKeyFile: string;
}

export interface RunSigningKeyOptions {
  home: string;
  /** A PEM from the environment wins over the key file. */
  privateKeyPem?: string | undefined;
}

export function runSigningKeyFiles(home: string): { privateKeyFile: string; publicKeyFile: string } {
  const dir = join(home, 'keys');
  return { privateKeyFile: join(dir, 'run-signing.key'), publicKeyFile: join(dir, 'run-signing.pub') };
}

/**
 * The Ed25519 key the control plane signs run requests with: from the environment, else
 * `$home/keys/run-signing.key` (generated on first start, mode 0600). The public key is written
 * beside it either way, because workers verify with it.
 */
export function loadRunSigningKeys(options: RunSigningKeyOptions): RunSigningKeys {
  const { privateKeyFile, publicKeyFile } = runSigningKeyFiles(options.home);
  mkdirSync(join(options.home, 'keys'), { recursive: true, mode: 0o700 });
  let privatePem = options.privateKeyPem;
  if (!privatePem) {
    if (!existsSync(privateKeyFile)) {
      writeFileSync(privateKeyFile, generateSigningKeys().privateKeyPem, { mode: 0o600, flag: 'wx' });
    }
    privatePem = readFileSync(privateKeyFile, 'utf8');
  }
  let privateKey: KeyObject;
  try {
    privateKey = loadPrivateKey(privatePem);
  } catch (cause) {
    throw new FlowForgeError('FF_CONFIG', 'the run signing private key is not a valid PEM key', {
      cause,
      hint: options.privateKeyPem
        ? 'fix FLOWFORGE_RUN_SIGNING_PRIVATE_KEY (an Ed25519 PKCS#8 PEM)'
        : `remove ${privateKeyFile} to generate a new key (running workers then need the new .pub)`,
    });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new FlowForgeError('FF_CONFIG', `the run signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  }
  const publicKeyPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  if (!existsSync(publicKeyFile) || readFileSync(publicKeyFile, 'utf8') !== publicKeyPem) {
    writeFileSync(publicKeyFile, publicKeyPem, { mode: 0o644 });
  }
  // A file created by an older start with a looser umask is tightened too.
  if (existsSync(privateKeyFile)) chmodSync(privateKeyFile, 0o600);
  return { privateKey, publicKeyPem, publicKeyFile };
}
