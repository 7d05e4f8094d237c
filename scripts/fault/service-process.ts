import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../stack/ports.ts';
import { killProcessGroup } from './process-group.ts';

/** A FlowForge service (worker, control plane) running as npm start runs it: a process of its own. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with how the process ended ("code 1", "SIGKILL"). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** Kills the process group (default SIGKILL: a crash, no clean shutdown). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServiceProcessOptions {
  /** The entry file, relative to the repository root: `workers/src/main.ts`. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** The start of the output line that says the service is ready. */
  readyLine: string;
  /** A name for the log lines, e.g. `worker-2`. */
  name: string;
  /** Every output line, prefixed with the name. */
  log: (line: string) => void;
  /** Called as soon as the process exists, before it is ready: lets the caller clean it up whatever happens next. */
  onSpawn?: (service: ServiceProcess) => void;
}

const root = join(import.meta.dirname, '..', '..');
/** Start-up bundles workflow code or runs migrations: seconds, more on a busy machine. */
const READY_WITHIN_MS = 90_000;

/** Starts `node --import tsx <entry>` and resolves once it prints its ready line; kills it if it never does. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, options.entry)], {
    cwd: root,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as npm start's children: killing the group kills everything it started.
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${process.execPath}`);
  let ready = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.startsWith(options.readyLine)) ready = true;
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
  const service: ServiceProcess = {
    name: options.name,
    pid,
    child,
    exited,
    isRunning: () => ended === undefined,
    kill: (signal = 'SIGKILL') => killProcessGroup(child, signal),
  };
  options.onSpawn?.(service);
  try {
    await waitFor(`${options.name} (pid ${pid})`, READY_WITHIN_MS, async () => {
      if (ended) throw new Error(`it exited (${ended}) before it was ready`);
      return ready ? true : undefined;
    });
  } catch (error) {
    await service.kill();
    throw error;
  }
  return service;
}
