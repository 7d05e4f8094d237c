import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { waitFor } from './ports.ts';

export interface TemporalOptions {
  /** The `temporal` CLI executable (see scripts/toolchain.sh for how it is found). */
  bin: string;
  port: number;
  uiPort?: number;
  /** SQLite file: runs survive a restart of the server. Omitted: in memory. */
  dbFile?: string;
  /** Test speed-up: SQLite without fsync. Never for real data. */
  fast?: boolean;
  /** Dynamic config on top of temporal/dev-server.json's (bench/src/diagnose.ts tries settings with it). */
  dynamicConfig?: Record<string, unknown>;
  log?: (line: string) => void;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

interface DevServerSettings {
  searchAttributes: Record<string, string>;
  dynamicConfig: Record<string, unknown>;
}

/** temporal/dev-server.json: the search attributes and dynamic config of every dev server we start. */
function devServerSettings(): DevServerSettings {
  const file = join(import.meta.dirname, '..', '..', 'temporal', 'dev-server.json');
  return JSON.parse(readFileSync(file, 'utf8')) as DevServerSettings;
}

/** Starts `temporal server start-dev` and waits until its frontend answers. */
export async function startTemporal(options: TemporalOptions): Promise<RunningTemporal> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  const settings = devServerSettings();
  for (const [name, type] of Object.entries(settings.searchAttributes))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries({ ...settings.dynamicConfig, ...options.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  args.push(...sqlitePragmas(options));
  const child = spawn(options.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = options.log ?? (() => {});
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  const address = `127.0.0.1:${options.port}`;
  await waitFor('the Temporal dev server', 60_000, async () => {
    if (exited) throw new Error(`the Temporal dev server ${exited}`);
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  });
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

/**
 * SQLite's default (a rollback journal, synchronous=FULL) costs three fsyncs per commit, and the
 * history service commits about three times per node: on a VM disk (~4 ms an fsync) that was the
 * larger half of a node's cost (docs/PERFORMANCE.md). WAL with synchronous=NORMAL fsyncs only at
 * checkpoints and keeps every commit across a crash or SIGKILL of the server; only a power cut or
 * kernel crash may lose the last commits, which a local dev server may accept. Tests: no fsync at all.
 */
function sqlitePragmas(options: TemporalOptions): string[] {
  if (!options.dbFile && !options.fast) return [];
  const synchronous = options.fast ? 'OFF' : 'NORMAL';
  return ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', `synchronous=${synchronous}`];
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
