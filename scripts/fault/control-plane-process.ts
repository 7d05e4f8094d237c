import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../stack/ports.ts';
import { killProcessGroup } from './process-group.ts';

export interface ControlPlaneProcessOptions {
  /** FLOWFORGE_HOME: signing keys and cli-config.json; a restart on the same home keeps both. */
  home: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** A fixed port, so a restarted control plane answers where the first one did. */
  port: number;
  /** A name for the log lines, e.g. `control-plane-2`. */
  name: string;
  log: (line: string) => void;
  /** Called as soon as the process exists: lets the caller clean it up whatever happens next. */
  onSpawn?: (controlPlane: ControlPlaneProcess) => void;
}

/** The control plane as npm start runs it: `node --import tsx control-plane/src/main.ts`, a process of its own. */
export interface ControlPlaneProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Resolves with how the process ended ("code 0", "SIGKILL"). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** Kills the process group (default SIGKILL: a crash, no clean shutdown). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');
/** Start-up runs the database migrations and connects to Temporal: seconds, more on a busy machine. */
const READY_WITHIN_MS = 90_000;

/** Starts the control plane and resolves once it says it listens (it wrote cli-config.json before). */
export async function startControlPlaneProcess(options: ControlPlaneProcessOptions): Promise<ControlPlaneProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWFORGE_HOME: options.home,
    FLOWFORGE_DATABASE_URL: options.databaseUrl,
    FLOWFORGE_TEMPORAL_ADDRESS: options.temporalAddress,
    FLOWFORGE_TASK_QUEUE: options.taskQueue,
    FLOWFORGE_PORT: String(options.port),
    FLOWFORGE_HOST: '127.0.0.1',
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'control-plane', 'src', 'main.ts')],
    // Its own process group, as npm start's children: killing the group kills everything it started.
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${process.execPath}`);
  let ready = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('control plane listening on')) ready = true;
      options.log(`[${options.name}] ${line}`);
    });
  }
  let ended: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = signal ?? `code ${code}`;
      options.log(`[${options.name}] exited (${ended})`);
      resolve(ended);
    }),
  );
  const controlPlane: ControlPlaneProcess = {
    name: options.name,
    pid,
    url: `http://127.0.0.1:${options.port}`,
    exited,
    isRunning: () => ended === undefined,
    kill: (signal = 'SIGKILL') => killProcessGroup(child, signal),
  };
  options.onSpawn?.(controlPlane);
  try {
    await waitFor(`${options.name} (pid ${pid})`, READY_WITHIN_MS, async () => {
      if (ended) throw new Error(`it exited (${ended}) before it was ready`);
      return ready ? true : undefined;
    });
  } catch (error) {
    await controlPlane.kill();
    throw error;
  }
  return controlPlane;
}

/** What the control plane leaves in its home for the CLI and workers: the local admin key and the run-signing public key. */
export function readControlPlaneHome(home: string): { apiKey: string; publicKeyPem: string } {
  const config = JSON.parse(readFileSync(join(home, 'cli-config.json'), 'utf8')) as { apiKey: string };
  return { apiKey: config.apiKey, publicKeyPem: readFileSync(join(home, 'keys', 'run-signing.pub'), 'utf8') };
}
