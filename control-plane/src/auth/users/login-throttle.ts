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

  async recordFailure(keys: ThrottleKeys): Promise<void> {
    const now = Date.now();
    for (const [kind, key] of keysOf(keys)) {
      const row = await this.#prisma.loginThrottle.findUnique({ where: { key } });
      const failures = row && now - row.updatedAt.getTime() < FORGET_AFTER_MS ? row.failures + 1 : 1;
      const over = failures - LIMITS[kind].free;
      const lockedUntil = over > 0 ? new Date(now + Math.min(2 ** (over - 1), MAX_LOCK_SECONDS) * 1000) : null;
      await this.#prisma.loginThrottle.upsert({
        where: { key },
        create: { key, failures, lockedUntil },
        update: { failures, lockedUntil },
      });
    }
  }

  async recordSuccess(keys: ThrottleKeys): Promise<void> {
    await this.#prisma.loginThrottle.deleteMany({ where: { key: `email:${keys.email}` } });
  }
}
