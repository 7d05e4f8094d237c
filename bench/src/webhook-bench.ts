import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchWorkflow, startFlowForgeStack } from './webhook/flowforge-stack.ts';
import { drive, formatFigures, type LoadFigures } from './webhook/load.ts';
import { startN8n } from './webhook/n8n.ts';
import { temporalFloor } from './webhook/temporal-floor.ts';

/**
 * `npm run bench -- webhook [--vs-n8n] [--seconds 20] [--levels 1,10,50]`: POSTs to /webhook/<path>
 * of webhook → set → if → respondToWebhook on `npm start`'s stack at each number of concurrent
 * connections (autocannon, loopback), then Temporal's own floor for the same shape on the same dev
 * server (4 no-op activities per workflow, remote and local, no FlowForge code, with the sandbox
 * settings FlowForge's worker uses; the local one also with the SDK's defaults), and with --vs-n8n
 * the same workflow on n8n 2.41.1 (installed from npm into .flowforge/n8n on first use). Prints the
 * figures side by side and writes them to .flowforge/bench/webhook-latest.json.
 */
const say = (line: string) => process.stderr.write(`\x1b[36m[bench]\x1b[0m ${line}\n`);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const SECONDS = Number(option('seconds', '20'));
const LEVELS = option('levels', '1,10,50').split(',').map(Number);
const VS_N8N = args.includes('--vs-n8n');
const BODY = JSON.stringify({ qty: 21 });

interface Row {
  system: string;
  figures: LoadFigures;
}

async function main(): Promise<void> {
  say(
    `${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${SECONDS} s per level`,
  );
  const rows: Row[] = [];
  const stack = await startFlowForgeStack(say);
  try {
    const path = 'bench/order';
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: benchWorkflow(path),
    });
    await stack.graphql('mutation { activateWorkflow(name: "webhook-bench") { activeVersion } }');
    const url = `${stack.url}/webhook/${path}`;
    await warmUp(url);
    for (const connections of LEVELS) {
      const figures = await drive(url, connections, SECONDS, BODY);
      say(formatFigures('FlowForge', figures));
      rows.push({ system: 'FlowForge', figures });
    }
    const floors = [
      { system: 'Temporal floor', local: false, sdkDefaults: false },
      { system: 'Temporal floor (local)', local: true, sdkDefaults: false },
      { system: 'floor (local, SDK defaults)', local: true, sdkDefaults: true },
    ];
    for (const { system, local, sdkDefaults } of floors) {
      for (const connections of LEVELS) {
        const figures = await temporalFloor(stack.temporalAddress, {
          nodes: 4,
          connections,
          seconds: SECONDS,
          local,
          sdkDefaults,
        });
        say(formatFigures(system, figures));
        rows.push({ system, figures });
      }
    }
  } finally {
    await stack.stop();
  }
  if (VS_N8N) {
    const n8n = await startN8n(say);
    try {
      await warmUp(n8n.webhookUrl);
      for (const connections of LEVELS) {
        const figures = await drive(n8n.webhookUrl, connections, SECONDS, BODY);
        say(formatFigures('n8n 2.41.1', figures));
        rows.push({ system: 'n8n 2.41.1', figures });
      }
    } finally {
      await n8n.stop();
    }
  }
  printTable(rows);
  const dir = join(process.cwd(), '.flowforge', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'webhook-latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, rows }, null, 2)}\n`,
  );
}

/** Waits for the path to be registered (n8n registers its webhooks a few seconds after /healthz), then warms up. */
async function warmUp(url: string): Promise<void> {
  const post = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const response = await post();
    await response.arrayBuffer();
    if (response.status !== 404) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (let i = 0; i < 30; i++) {
    const response = await post();
    if (!response.ok) throw new Error(`warm-up: ${url} answered ${response.status}: ${await response.text()}`);
  }
}

function printTable(rows: Row[]): void {
  const at = (system: string, connections: number) =>
    rows.find((row) => row.system === system && row.figures.connections === connections)?.figures;
  console.log('\nwebhook → set → if → respondToWebhook, req/s (p50 / p99 ms), errors');
  console.log(`${'connections'.padEnd(28)}${LEVELS.map((c) => String(c).padStart(26)).join('')}`);
  for (const system of [...new Set(rows.map((row) => row.system))]) {
    const cells = LEVELS.map((c) => {
      const f = at(system, c);
      return (f ? `${f.perSecond.toFixed(1)} (${f.p50}/${f.p99}) ${f.errors + f.non2xx}` : '-').padStart(26);
    });
    console.log(`${system.padEnd(28)}${cells.join('')}`);
  }
  const ratio = (a: string, b: string) =>
    LEVELS.map((c) => {
      const x = at(a, c);
      const y = at(b, c);
      return (x && y && y.perSecond > 0 ? `${(x.perSecond / y.perSecond).toFixed(2)}×` : '-').padStart(26);
    }).join('');
  if (rows.some((row) => row.system === 'n8n 2.41.1'))
    console.log(`${'FlowForge / n8n'.padEnd(28)}${ratio('FlowForge', 'n8n 2.41.1')}`);
  console.log(`${'FlowForge / floor'.padEnd(28)}${ratio('FlowForge', 'Temporal floor')}`);
  console.log(`${'FlowForge / local floor'.padEnd(28)}${ratio('FlowForge', 'Temporal floor (local)')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
