import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const CONTROL_PLANE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'control-plane');

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

export async function applyMigrations(databaseUrl: string): Promise<void> {
  await run(process.execPath, [join(CONTROL_PLANE, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'], {
    cwd: CONTROL_PLANE,
    env: { ...process.env, DATABASE_URL: databaseUrl, FLOWFORGE_DATABASE_URL: databaseUrl },
  });
}
