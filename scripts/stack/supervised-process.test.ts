import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './ports.ts';
import { SupervisedProcess } from './supervised-process.ts';

/**
 * npm start's supervision (issue 4): a child that dies is restarted and the stack says so; one
 * that keeps dying is given up with a message. Real child processes, killed with SIGKILL.
 */

/** A child that lives until it is killed, like a worker or a control plane. */
const idleChild = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] };

let supervised: SupervisedProcess | undefined;
afterEach(async () => {
  await supervised?.stop();
  supervised = undefined;
});

function supervise(): { proc: SupervisedProcess; lines: string[] } {
  const lines: string[] = [];
  const proc = new SupervisedProcess({
    name: 'worker',
    ...idleChild,
    env: process.env,
    cwd: process.cwd(),
    log: (line) => lines.push(line),
  });
  supervised = proc;
  return { proc, lines };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits for the supervisor to start a child other than `previous`, and returns its pid. */
const nextPid = (proc: SupervisedProcess, previous: number | undefined): Promise<number> =>
  waitFor('a restarted child', 20_000, async () =>
    proc.pid !== undefined && proc.pid !== previous ? proc.pid : undefined,
  );

describe('SupervisedProcess', () => {
  it('restarts a child killed with SIGKILL and says so', async () => {
    const { proc, lines } = supervise();
    proc.start();
    const first = await nextPid(proc, undefined);
    process.kill(first, 'SIGKILL');
    const second = await nextPid(proc, first);
    expect(isAlive(second)).toBe(true);
    expect(lines).toEqual([
      `[worker] started (pid ${first})`,
      '[worker] was killed by SIGKILL; restarting in 500 ms',
      `[worker] started (pid ${second})`,
    ]);
  });

  it('gives up with a message on a child that keeps dying within a minute', async () => {
    const { proc, lines } = supervise();
    const gaveUp = new Promise<string>((resolve) => {
      proc.onGiveUp = resolve;
    });
    proc.start();
    const killed: number[] = [];
    // Kill every child the supervisor starts, as soon as it is there, until it stops starting them.
    const killer = setInterval(() => {
      const pid = proc.pid;
      if (pid === undefined || killed.includes(pid)) return;
      killed.push(pid);
      process.kill(pid, 'SIGKILL');
    }, 20);
    const reason = await gaveUp.finally(() => clearInterval(killer));
    expect(reason).toBe(`worker was killed by SIGKILL ${killed.length} times within a minute; not restarting it again`);
    // Five restarts with a growing pause, then no sixth: the last death is final.
    const restarts = lines.filter((line) => line.includes('restarting in'));
    expect(restarts.map((line) => line.replace(/.*restarting in /, ''))).toEqual([
      '500 ms',
      '1000 ms',
      '2000 ms',
      '4000 ms',
      '8000 ms',
    ]);
    expect(killed).toHaveLength(6);
    expect(lines.filter((line) => line.includes('started (pid'))).toHaveLength(6);
  }, 40_000);
});
