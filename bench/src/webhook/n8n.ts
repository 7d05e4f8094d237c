import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPostgres } from '@flowforge/scripts/stack';

const N8N_VERSION = '2.41.1';
const root = join(import.meta.dirname, '..', '..', '..');
const WORKFLOW_ID = 'webhookBench0001';
const PATH = 'bench/order';

export interface RunningN8n {
  webhookUrl: string;
  stop(): Promise<void>;
}

/**
 * n8n 2.41.1 beside FlowForge, for side-by-side figures (ENVIRONMENT.md's recipe): installed from
 * npm into .flowforge/n8n on first use (a few minutes, then cached), on a PostgreSQL of its own,
 * with the benchmark's workflow (Webhook → Set → If → Respond to Webhook) imported and published.
 */
export async function startN8n(say: (line: string) => void): Promise<RunningN8n> {
  const dir = join(root, '.flowforge', 'n8n');
  installN8n(dir, say);
  const scratch = mkdtempSync(join(tmpdir(), 'flowforge-n8n-'));
  const postgres = await startPostgres({ dir: join(scratch, 'postgres'), port: await freePort() });
  await postgres.createDatabase('n8n');
  const port = await freePort();
  const database = new URL(postgres.url('n8n'));
  const env = {
    ...process.env,
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: '127.0.0.1',
    DB_POSTGRESDB_PORT: database.port,
    DB_POSTGRESDB_DATABASE: 'n8n',
    DB_POSTGRESDB_USER: decodeURIComponent(database.username),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(database.password),
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_USER_FOLDER: join(scratch, 'user'),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_LOG_LEVEL: 'warn',
  };
  const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
  const base = `http://127.0.0.1:${port}`;
  const start = async () => {
    const child = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`n8n exited:\n${output.slice(-3000)}`);
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return child;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`n8n did not answer /healthz in 3 minutes:\n${output.slice(-3000)}`);
  };
  const stop = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  say('n8n: first start (database migrations, owner set-up)');
  let child = await start();
  const owner = await fetch(`${base}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'bench@example.com',
      firstName: 'Bench',
      lastName: 'Mark',
      password: 'Bench-mark-2026',
    }),
  });
  if (!owner.ok) throw new Error(`n8n owner set-up answered ${owner.status}: ${await owner.text()}`);
  await stop(child);
  const file = join(scratch, 'workflow.json');
  writeFileSync(file, JSON.stringify(n8nWorkflow()));
  execFileSync(process.execPath, [bin, 'import:workflow', `--input=${file}`], { env, stdio: 'ignore' });
  execFileSync(process.execPath, [bin, 'publish:workflow', `--id=${WORKFLOW_ID}`], { env, stdio: 'ignore' });
  say('n8n: workflow imported and published; starting again');
  child = await start();
  return {
    webhookUrl: `${base}/webhook/${PATH}`,
    async stop() {
      await stop(child);
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function installN8n(dir: string, say: (line: string) => void): void {
  const installed = join(dir, 'node_modules', 'n8n', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === N8N_VERSION) return;
  say(`n8n: installing n8n@${N8N_VERSION} from npm into ${dir} (a few minutes, once)`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', `n8n@${N8N_VERSION}`, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
  });
}

/** The benchmark's workflow in n8n's format: Webhook (respond with a node) → Set → If → Respond to Webhook. */
function n8nWorkflow() {
  return {
    id: WORKFLOW_ID,
    name: 'webhook-bench',
    active: false,
    settings: { executionOrder: 'v1' },
    nodes: [
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000001',
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: 'b1b2c3d4-0000-4000-8000-000000000001',
        parameters: { httpMethod: 'POST', path: PATH, responseMode: 'responseNode', options: {} },
      },
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000002',
        name: 'Set',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [220, 0],
        parameters: {
          assignments: {
            assignments: [{ id: 's1', name: 'total', value: '={{ $json.body.qty * 2 }}', type: 'number' }],
          },
          includeOtherFields: true,
          options: {},
        },
      },
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000003',
        name: 'If',
        type: 'n8n-nodes-base.if',
        typeVersion: 2.2,
        position: [440, 0],
        parameters: {
          conditions: {
            options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
            conditions: [
              {
                id: 'c1',
                leftValue: '={{ $json.total }}',
                rightValue: 1,
                operator: { type: 'number', operation: 'gt' },
              },
            ],
            combinator: 'and',
          },
          options: {},
        },
      },
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000004',
        name: 'Respond',
        type: 'n8n-nodes-base.respondToWebhook',
        typeVersion: 1.1,
        position: [660, 0],
        parameters: { respondWith: 'json', responseBody: '={{ { total: $json.total } }}', options: {} },
      },
    ],
    connections: {
      Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
      Set: { main: [[{ node: 'If', type: 'main', index: 0 }]] },
      If: { main: [[{ node: 'Respond', type: 'main', index: 0 }], []] },
    },
  };
}
