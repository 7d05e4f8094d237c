import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';

export function workerTokenFile(home: string): string {
  return join(home, 'keys', 'worker-token');
}

/**
 * The shared secret a worker shows when it asks for a credential value: FLOWFORGE_WORKER_TOKEN, else
 * `$home/keys/worker-token`, generated on first start (mode 0600) like the run-signing key; a
 * worker on the same home (npm start) reads the same file. It is what a holder of Temporal access
 * lacks: Temporal's histories hold every signed run request, so a signature alone proves nothing
 * about who asks (control-plane/README.md, "The resolution channel").
 */
export function loadWorkerToken(options: { home: string; fromEnv?: string | undefined }): string {
  if (options.fromEnv !== undefined) return options.fromEnv;
  const file = workerTokenFile(options.home);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 32) {
    throw new FlowForgeError('FF_CONFIG', `${file} holds no worker token (at least 32 characters)`, {
      hint: 'remove the file to generate a new one (running workers then need it too), or set FLOWFORGE_WORKER_TOKEN',
    });
  }
  return token;
}

/**
 * Checks `Authorization: Bearer <worker token>` for the routes only workers call (credential
 * resolution, run events). Equal-length digests: the comparison's time says nothing about the token.
 */
export function workerTokenCheck(workerToken: string, what: string): (authorization: string | undefined) => void {
  const expected = digest(workerToken);
  return (authorization) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (presented && timingSafeEqual(digest(presented), expected)) return;
    throw new FlowForgeError('FF_UNAUTHENTICATED', `${what} need the worker token`, {
      hint: "give the worker the control plane's worker token (FLOWFORGE_WORKER_TOKEN or $FLOWFORGE_HOME/keys/worker-token)",
    });
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
