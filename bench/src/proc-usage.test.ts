import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { readProc, watchProcesses } from './proc-usage.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function spawnNode(code: string): number {
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

describe('proc usage', () => {
  it("reads another process's resident memory and CPU time", () => {
    const pid = spawnNode('setTimeout(() => {}, 60_000)');
    const sample = readProc(pid);
    expect(sample.rssBytes).toBeGreaterThan(0);
    expect(sample.peakRssBytes).toBeGreaterThanOrEqual(sample.rssBytes);
    expect(sample.cpuMs).toBeGreaterThanOrEqual(0);
  });

  it('tells a busy process from a sleeping one', async () => {
    const busy = spawnNode('for (;;) {}');
    // A process that has started and now only sleeps: no CPU time is added while it is watched.
    const asleep = spawnNode('setTimeout(() => {}, 60_000)');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [busyUsage, asleepUsage] = await watchProcesses([busy, asleep], 1.5, 500);
    expect(busyUsage?.cpuPercent).toBeGreaterThan(0);
    expect(asleepUsage?.cpuPercent).toBe(0);
    expect(busyUsage?.rssMb.min).toBeGreaterThan(0);
  });

  it('says which process it cannot read', () => {
    expect(() => readProc(2 ** 22 + 1)).toThrow(/4194305/);
  });
});
