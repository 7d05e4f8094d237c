import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CONTROL_PLANE = join(import.meta.dirname, '..', '..', 'control-plane');
/** What `prisma migrate deploy` prints once the database is up to date. */
const DONE = /All migrations have been successfully applied|No pending migrations to apply/;

/**
 * `prisma migrate deploy` against `databaseUrl`: what npm start and the test databases run.
 * Prisma 6.19's JS engine leaves a 10 s timer running after it has finished, so the process is
 * stopped as soon as it says the migrations are applied (every test database saves those 10 s).
 */
export function applyMigrations(databaseUrl: string): Promise<void> {
  const prisma = join(CONTROL_PLANE, 'node_modules', 'prisma', 'build', 'index.js');
  const child = spawn(process.execPath, [prisma, 'migrate', 'deploy'], {
    cwd: CONTROL_PLANE,
    env: { ...process.env, DATABASE_URL: databaseUrl, FLOWFORGE_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    let done = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!done && DONE.test(output)) {
        done = true;
        child.kill('SIGTERM');
        resolve();
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('exit', (code) => {
      if (done) return;
      if (code === 0) resolve();
      else
        reject(new Error(`applying the database migrations failed (prisma migrate deploy exited ${code}):\n${output}`));
    });
  });
}
