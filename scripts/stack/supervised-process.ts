import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from './temporal.ts';

export interface SupervisedOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where each output line goes, already prefixed with the name. */
  log: (line: string) => void;
}

const RESTART_WINDOW_MS = 60_000;
const MAX_RESTARTS_IN_WINDOW = 5;

/**
 * A child of `npm start` that is restarted when it dies (with a growing pause), and says so.
 * After five restarts within a minute (a sixth death) it gives up and reports, rather than spinning.
 */
export class SupervisedProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private deaths: number[] = [];
  private readonly options: SupervisedOptions;
  onGiveUp: (reason: string) => void = () => {};

  constructor(options: SupervisedOptions) {
    this.options = options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { name, command, args, env, cwd, log } = this.options;
    // Own process group: Ctrl-C reaches only the supervisor, which stops children in order.
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    log(`[${name}] started (pid ${child.pid})`);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => log(`[${name}] ${line}`));
    }
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const now = Date.now();
      this.deaths = [...this.deaths.filter((t) => now - t < RESTART_WINDOW_MS), now];
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (this.deaths.length > MAX_RESTARTS_IN_WINDOW) {
        this.onGiveUp(`${name} ${how} ${this.deaths.length} times within a minute; not restarting it again`);
        return;
      }
      const delay = 500 * 2 ** (this.deaths.length - 1);
      log(`[${name}] ${how}; restarting in ${delay} ms`);
      setTimeout(() => this.stopping || this.start(), delay);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child) await stopChild(this.child, 10_000);
  }
}
