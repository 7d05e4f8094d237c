import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CONTROL_PLANE = join(import.meta.dirname, '..', '..', 'control-plane');

/** `prisma migrate deploy` against `databaseUrl`: what npm start and the test databases run. */
export async function applyMigrations(databaseUrl: string): Promise<void> {
  const prisma = join(CONTROL_PLANE, 'node_modules', 'prisma', 'build', 'index.js');
  try {
    await run(process.execPath, [prisma, 'migrate', 'deploy'], {
      cwd: CONTROL_PLANE,
      env: { ...process.env, DATABASE_URL: databaseUrl, FLOWFORGE_DATABASE_URL: databaseUrl },
    });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stderr || (error as { stdout?: string }).stdout;
    throw new Error(`applying the database migrations failed:\n${output ?? String(error)}`);
  }
}
