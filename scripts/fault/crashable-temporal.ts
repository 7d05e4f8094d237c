import { join } from 'node:path';
import { freePort } from '../stack/ports.ts';
import { type RunningTemporal, startTemporal } from '../stack/temporal.ts';
import { killProcessGroup } from './process-group.ts';

export interface CrashableTemporalOptions {
  /** The `temporal` CLI (`inject('temporalBin')`). */
  bin: string;
  /** Where the SQLite file lives: the server's whole state, kept across kills. */
  dir: string;
  log?: (line: string) => void;
}

/**
 * A Temporal dev server of the test's own, on a SQLite file as npm start runs it (durable settings,
 * not the suite's fast ones), that the test may SIGKILL and start again on the same file and port.
 */
export interface CrashableTemporal {
  readonly address: string;
  readonly dbFile: string;
  /** SIGKILL to the server's process group; resolves when it is gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same file and port; resolves when its frontend answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCrashableTemporal(options: CrashableTemporalOptions): Promise<CrashableTemporal> {
  const port = await freePort();
  const dbFile = join(options.dir, 'temporal.db');
  const start = () => startTemporal({ bin: options.bin, port, dbFile, ...(options.log ? { log: options.log } : {}) });
  let current: RunningTemporal | undefined = await start();
  return {
    address: current.address,
    dbFile,
    async kill() {
      if (current) await killProcessGroup(current.process, 'SIGKILL');
      current = undefined;
    },
    async restart() {
      if (current) throw new Error('the Temporal dev server is still running: kill() it first');
      current = await start();
    },
    async stop() {
      // Killed, not stopped gracefully: the file is thrown away with the test's directory.
      if (current) await killProcessGroup(current.process, 'SIGKILL');
      current = undefined;
    },
  };
}
