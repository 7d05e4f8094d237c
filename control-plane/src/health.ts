import type { Connection } from '@temporalio/client';
import type { PrismaClient } from './database.ts';

export interface Health {
  ok: boolean;
  /** What is down, with the reason: `{ postgresql: "connection refused" }`. */
  down?: Record<string, string>;
}

const CHECK_DEADLINE_MS = 2_000;

/** PostgreSQL and Temporal both answer → ok. Checked in parallel, each with a short deadline. */
export async function checkHealth(
  prisma: PrismaClient,
  temporal: Connection,
  temporalAddress: string,
): Promise<Health> {
  const checks = {
    postgresql: () => prisma.$queryRaw`SELECT 1`,
    temporal: () => temporal.withDeadline(Date.now() + CHECK_DEADLINE_MS, () => temporal.healthService.check({})),
  };
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), CHECK_DEADLINE_MS);
        return [name, undefined] as const;
      } catch (error) {
        const reason = ((error as Error).message || String(error)).split('\n')[0] ?? 'unknown';
        return [name, name === 'temporal' ? `${temporalAddress}: ${reason}` : reason] as const;
      }
    }),
  );
  const down = Object.fromEntries(results.filter(([, why]) => why !== undefined)) as Record<string, string>;
  return Object.keys(down).length === 0 ? { ok: true } : { ok: false, down };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
