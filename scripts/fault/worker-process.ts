import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../stack/ports.ts';
import { killProcessGroup } from './process-group.ts';

export interface WorkerProcessOptions {
  temporalAddress: string;
  taskQueue: string;
  /** The control plane's run-signing public key (PEM). */
  publicKeyPem: string;
  /** FLOWFORGE_HOME of the worker: its artefacts go under it. */
  home: string;
  /** A name for the log lines, e.g. `worker-2`. */
  name: string;
  /** Every output line, prefixed with the name. */
  log: (line: string) => void;
  /** Called as soon as the process exists, before it is ready: lets the caller clean it up whatever happens next. */
  onSpawn?: (worker: WorkerProcess) => void;
}

/** A worker running as `npm start` runs it: `node --import tsx workers/src/main.ts`, a process of its own. */
export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with how the process ended ("code 1", "SIGKILL"). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** Kills the process group (default SIGKILL: a crash, no clean shutdown). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const root = join(import.meta.dirname, '..', '..');
/** The worker bundles the workflow code at start-up: seconds, more on a busy machine. */
const READY_WITHIN_MS = 90_000;

/** Starts the worker process and resolves once it says it polls the task queue. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWFORGE_HOME: options.home,
    FLOWFORGE_TEMPORAL_ADDRESS: options.temporalAddress,
    FLOWFORGE_TASK_QUEUE: options.taskQueue,
    FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: options.publicKeyPem,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers', 'src', 'main.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as npm start's children: killing the group kills everything it started.
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${process.execPath}`);
  let ready = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.startsWith('worker ready on task queue')) ready = true;
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
  const worker: WorkerProcess = {
    name: options.name,
    pid,
    child,
    exited,
    isRunning: () => ended === undefined,
    kill: (signal = 'SIGKILL') => killProcessGroup(child, signal),
  };
  options.onSpawn?.(worker);
  try {
    await waitFor(`${options.name} (pid ${pid})`, READY_WITHIN_MS, async () => {
      if (ended) throw new Error(`it exited (${ended}) before it was ready`);
      return ready ? true : undefined;
    });
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}
