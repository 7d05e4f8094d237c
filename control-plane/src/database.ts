import { FlowForgeError } from '@flowforge/connectors-sdk';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type { PrismaClient } from './generated/prisma/client.ts';

/** A Prisma client on the pg driver adapter: no query-engine binary (the machines are offline). */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/** Prisma's unique-constraint error: two writers raced for the same row. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Prisma's P1xxx codes: the database server cannot be reached, is gone, or dropped the connection. */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^P1\d{3}$/.test(code);
}

export function databaseUnavailable(cause: unknown): FlowForgeError {
  return new FlowForgeError('FF_UNAVAILABLE', 'the database is not reachable', {
    cause,
    hint: 'PostgreSQL is not answering; GET /readyz says what is down',
  });
}
