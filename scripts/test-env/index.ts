import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../stack/migrations.ts';

export { type GraphQL, graphqlClient } from './graphql-client.ts';
export { applyMigrations };

/** A unique id for test data: `prefix-1a2b3c4d`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Creates a fresh database on the suite's PostgreSQL and applies the Prisma migrations to it, as
 * `npm start` does. Returns its URL. Each test file that writes data takes its own.
 */
export async function createTestDatabase(postgresUrl: string): Promise<string> {
  const name = `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = postgresUrl.replace(/\/[^/]*$/, `/${name}`);
  await applyMigrations(url);
  return url;
}
