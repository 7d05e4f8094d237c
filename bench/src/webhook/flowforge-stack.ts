import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@flowforge/scripts/stack';
import { type GraphQL, graphqlClient } from '@flowforge/scripts/test-env';

const root = join(import.meta.dirname, '..', '..', '..');

export interface FlowForgeStack {
  url: string;
  temporalAddress: string;
  graphql: GraphQL;
  stop(): Promise<void>;
}

/**
 * `npm start` itself (scripts/stack/dev-stack.ts) in a fresh home on free ports: embedded
 * PostgreSQL, the Temporal dev server on a SQLite file, the control plane and one worker as separate
 * processes, which is what a user runs and what the figures are for.
 */
export async function startFlowForgeStack(say: (line: string) => void): Promise<FlowForgeStack> {
  const home = mkdtempSync(join(tmpdir(), 'flowforge-webhook-bench-'));
  const [port, temporalPort, temporalUiPort, postgresPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/stack/dev-stack.ts')], {
    cwd: root,
    env: {
      ...process.env,
      FLOWFORGE_HOME: home,
      FLOWFORGE_PORT: String(port),
      FLOWFORGE_TEMPORAL_PORT: String(temporalPort),
      FLOWFORGE_TEMPORAL_UI_PORT: String(temporalUiPort),
      FLOWFORGE_POSTGRES_PORT: String(postgresPort),
      // Throughput is the figure: the webhook per-IP limit (6,000 a minute) would cap it.
      FLOWFORGE_RATE_LIMIT: 'off',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const up = await new Promise<boolean>((resolve) => {
    const timer = setInterval(() => {
      if (output.includes('FlowForge is up.')) finish(true);
    }, 200);
    const limit = setTimeout(() => finish(false), 180_000);
    const finish = (value: boolean) => {
      clearInterval(timer);
      clearTimeout(limit);
      resolve(value);
    };
    child.once('exit', () => finish(false));
  });
  if (!up) throw new Error(`the FlowForge stack did not come up:\n${output.slice(-3000)}`);
  const config = JSON.parse(readFileSync(join(home, 'cli-config.json'), 'utf8')) as { url: string; apiKey: string };
  say(`FlowForge stack up (control plane ${config.url}, worker and control plane as their own processes)`);
  return {
    url: config.url,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    graphql: graphqlClient(config.url, config.apiKey),
    async stop() {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** webhook → set → if → respondToWebhook: the shape the issue measures, in FlowForge's file format. */
export function benchWorkflow(path: string) {
  return {
    schemaVersion: 1,
    name: 'webhook-bench',
    nodes: [
      { id: 'hook', type: 'trigger.webhook', params: { path, respond: 'responseNode' } },
      { id: 'set', type: 'core.set', params: { values: { total: '={{ $json.body.qty * 2 }}' } } },
      { id: 'big', type: 'core.if', params: { condition: '={{ $json.total > 1 }}' } },
      { id: 'answer', type: 'core.respondToWebhook', params: { body: '={{ { total: $json.total } }}' } },
    ],
    edges: [
      { from: 'hook', to: 'set' },
      { from: 'set', to: 'big' },
      { from: 'big', fromPort: 'true', to: 'answer' },
    ],
  };
}
