import type { PrismaClient } from '../../database.ts';

/**
 * Backoff for wrong passwords, per account and per client address, kept in PostgreSQL so every
 * replica sees it. After `free` failures each further one locks the key for 1, 2, 4, ... seconds
 * (at most 15 min); failures are forgotten 15 min after the last one, and a sign-in clears its account's.
 * Unknown emails are counted like known ones, so a lock says nothing about which accounts exist.
 */
const LIMITS = { email: { free: 5 }, ip: { free: 20 } } as const;
const MAX_LOCK_SECONDS = 900;
const FORGET_AFTER_MS = 15 * 60_000;

export type ThrottleKeys = { email: string; ip: string };

const keysOf = (keys: ThrottleKeys) =>
  [
    ['email', `email:${keys.email}`],
    ['ip', `ip:${keys.ip}`],
  ] as const;

export class LoginThrottle {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /** Seconds to wait before the next attempt, or 0 when it may go ahead. */
  async retryAfter(keys: ThrottleKeys): Promise<number> {
    const rows = await this.#prisma.loginThrottle.findMany({
      where: { key: { in: keysOf(keys).map(([, key]) => key) } },
    });
    const now = Date.now();
    const waits = rows.map((row) => Math.ceil(((row.lockedUntil?.getTime() ?? 0) - now) / 1000));
    return Math.max(0, ...waits);
  }

  /**
   * One SQL statement per key: concurrent failures (a burst of guesses) each count, which a read
   * followed by a write would not guarantee. The lock follows from the count the statement returns.
   */
  async recordFailure(keys: ThrottleKeys): Promise<void> {
    // The columns are timestamp(3) in UTC, as Prisma writes them.
    const now = new Date().toISOString();
    const forgetBefore = new Date(Date.now() - FORGET_AFTER_MS).toISOString();
    for (const [kind, key] of keysOf(keys)) {
      const free = LIMITS[kind].free;
      await this.#prisma.$executeRaw`
        INSERT INTO "LoginThrottle" ("key", "failures", "lockedUntil", "updatedAt")
        VALUES (${key}, 1, NULL, ${now}::timestamptz AT TIME ZONE 'UTC')
        ON CONFLICT ("key") DO UPDATE SET
          "failures" = CASE WHEN "LoginThrottle"."updatedAt" < ${forgetBefore}::timestamptz AT TIME ZONE 'UTC' THEN 1
                            ELSE "LoginThrottle"."failures" + 1 END,
          "updatedAt" = EXCLUDED."updatedAt",
          "lockedUntil" = CASE
            WHEN "LoginThrottle"."updatedAt" >= ${forgetBefore}::timestamptz AT TIME ZONE 'UTC'
             AND "LoginThrottle"."failures" + 1 > ${free}::int
            THEN EXCLUDED."updatedAt"
                 + make_interval(secs => LEAST(power(2, "LoginThrottle"."failures" - ${free}::int), ${MAX_LOCK_SECONDS}::int))
            ELSE NULL END`;
    }
  }

  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.#prisma.loginThrottle.deleteMany({ where: { key: `email:${keys.email}` } });
  }
}
