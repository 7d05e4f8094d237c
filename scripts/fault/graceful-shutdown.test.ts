import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../stack/ports.ts';
import { createTestDatabase, uniqueName } from '../test-env/index.ts';
import { type ControlPlaneProcess, readControlPlaneHome, startControlPlaneProcess } from './control-plane-process.ts';

/**
 * SIGTERM on a real control plane process: a request in flight (its body still arriving) is
 * answered, /readyz and new connections stop at once, and the process exits 0 after closing
 * Temporal and Prisma.
 */
const home = mkdtempSync(join(tmpdir(), 'flowforge-shutdown-'));
let controlPlane: ControlPlaneProcess | undefined;
const lines: string[] = [];
afterAll(async () => {
  await controlPlane?.kill();
  rmSync(home, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight, refuses new ones, closes its clients and exits 0', async () => {
    const port = await freePort();
    controlPlane = await startControlPlaneProcess({
      home,
      databaseUrl: await createTestDatabase(inject('postgresUrl')),
      temporalAddress: inject('temporalAddress'),
      taskQueue: uniqueName('shutdown'),
      port,
      name: 'control-plane',
      log: (line) => lines.push(line),
    });
    const { apiKey } = readControlPlaneHome(home);
    expect((await fetch(`${controlPlane.url}/readyz`)).status).toBe(200);

    // A request whose body is half sent when SIGTERM arrives.
    const body = JSON.stringify({ query: '{ workflows { name } }' });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${controlPlane?.url}/graphql`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        req.end(body.slice(10));
      }, 1500);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = controlPlane.exited;
    process.kill(controlPlane.pid, 'SIGTERM');
    await waitForLine(/SIGTERM: closing/);
    await expect(fetch(`${controlPlane.url}/healthz`)).rejects.toThrow();

    const { status, text } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { workflows: [] } });
    expect(await exited).toBe('code 0');
    expect(lines.some((line) => line.includes('control plane closed'))).toBe(true);
  }, 120_000);
});

async function waitForLine(pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (lines.some((line) => pattern.test(line))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no line matched ${pattern}:\n${lines.join('\n')}`);
}
