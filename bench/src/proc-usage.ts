import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Memory and CPU of a process from Linux's /proc, the way `top` and `ps` read them: the resident
 * set from /proc/<pid>/status (VmRSS, VmHWM) and the CPU time from /proc/<pid>/stat (utime + stime
 * of all its threads, in clock ticks). Read directly because the figures must be those of another
 * process (the worker, the Temporal server) and a library would only wrap these two files.
 */

/** Clock ticks per second of /proc/<pid>/stat's times (almost always 100). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcSample {
  /** performance.now() when read. */
  atMs: number;
  rssBytes: number;
  /** The process's peak resident set so far (VmHWM). */
  peakRssBytes: number;
  /** User + system CPU time since the process started, all threads (ms). */
  cpuMs: number;
}

function statusKb(status: string, field: string, pid: number): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field}: is it a live process of this machine?`);
  return Number(match[1]);
}

export function readProc(pid: number): ProcSample {
  const atMs = performance.now();
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    atMs,
    rssBytes: statusKb(status, 'VmRSS', pid) * 1024,
    peakRssBytes: statusKb(status, 'VmHWM', pid) * 1024,
    cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
  };
}

/** What a process used over a window. */
export interface ProcUsage {
  pid: number;
  seconds: number;
  rssMb: { min: number; mean: number; max: number };
  /** Peak resident set over the process's whole life (VmHWM) at the end of the window. */
  peakRssMb: number;
  /** CPU time over the window / wall time, in % of one core. */
  cpuPercent: number;
  /** The busiest one-second sample, in % of one core. */
  maxCpuPercent: number;
}

const MB = 1024 * 1024;

export function usageOf(pid: number, samples: readonly ProcSample[]): ProcUsage {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || samples.length < 2) throw new Error(`usage of pid ${pid}: needs at least two samples`);
  const rss = samples.map((s) => s.rssBytes / MB);
  const wallMs = last.atMs - first.atMs;
  let maxCpuPercent = 0;
  for (let i = 1; i < samples.length; i++) {
    const [a, b] = [samples[i - 1] as ProcSample, samples[i] as ProcSample];
    if (b.atMs > a.atMs) maxCpuPercent = Math.max(maxCpuPercent, ((b.cpuMs - a.cpuMs) / (b.atMs - a.atMs)) * 100);
  }
  return {
    pid,
    seconds: wallMs / 1000,
    rssMb: {
      min: Math.min(...rss),
      mean: rss.reduce((sum, value) => sum + value, 0) / rss.length,
      max: Math.max(...rss),
    },
    peakRssMb: last.peakRssBytes / MB,
    cpuPercent: ((last.cpuMs - first.cpuMs) / wallMs) * 100,
    maxCpuPercent,
  };
}

/** Samples each pid every `everyMs` for `seconds`, then summarizes. */
export async function watchProcesses(pids: readonly number[], seconds: number, everyMs = 1000): Promise<ProcUsage[]> {
  const samples = pids.map((pid) => [readProc(pid)]);
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(everyMs, Math.max(0, until - performance.now()))));
    pids.forEach((pid, i) => {
      samples[i]?.push(readProc(pid));
    });
  }
  return pids.map((pid, i) => usageOf(pid, samples[i] ?? []));
}
