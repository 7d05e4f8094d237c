import { FlowForgeError } from '@flowforge/connectors-sdk';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB of memory,
 * 2 iterations, 1 lane. About 30 ms a hash on one core here: slow for a guesser, fine for a sign-in.
 */
// `Algorithm` is a const enum (not importable as a value here): 2 is its Argon2id.
const OWASP_ARGON2ID = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** NIST SP 800-63B: at least 8; 12 because there is no second factor yet. The upper bound keeps a request cheap. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return hash(password, OWASP_ARGON2ID);
}

/** Never names or echoes the password: only what is wrong with it. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `the password must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
      { path: ['password'], hint: 'choose a longer passphrase (a password manager can make one)' },
    );
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash, or against a dummy hash when there is none (unknown
 * email, OIDC-only user): the answer takes as long either way, so timing does not tell which emails exist.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hash('flowforge-dummy-password-for-timing', OWASP_ARGON2ID);
  const target = storedHash ?? (await dummyHash);
  const matches = await verify(target, password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false);
  return matches && storedHash !== null && storedHash !== undefined;
}
