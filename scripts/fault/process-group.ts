import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to the child's whole process group (the child was spawned `detached`, so it leads
 * one) and resolves when the child has exited. A fault test kills what a crash would kill: the
 * process and anything it started.
 */
export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the group is gone already; the exit event has fired or is about to.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  return gone;
}
