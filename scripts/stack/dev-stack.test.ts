import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, waitFor } from './ports.ts';

const root = join(import.meta.dirname, '..', '..');
const exec = promisify(execFile);

/** Starts scripts/stack/dev-stack.ts as `npm start` does, with its own home and ports. */
async function startStack(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/stack/dev-stack.ts')], {
    cwd: root,
    env: { ...process.env, FF_TEMPORAL: inject('temporalBin'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the local stack)', () => {
  const homes: string[] = [];
  const home = () => {
    // Not under /tmp: as root, PostgreSQL runs as the `postgres` user, which cannot enter 0700 temp dirs.
    mkdirSync(join(root, '.flowforge', 'test'), { recursive: true });
    const dir = mkdtempSync(join(root, '.flowforge', 'test', 'stack-'));
    chmodSync(dir, 0o755);
    homes.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a port that is already in use and names the variable to change', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { child, output } = await startStack({ FLOWFORGE_HOME: home(), FLOWFORGE_PORT: String(port) });
      expect(await exited(child)).toBe(1);
      expect(output()).toContain(`port ${port} (control plane) is already in use`);
      expect(output()).toContain('FLOWFORGE_PORT');
    } finally {
      blocker.close();
    }
  });

  it('rejects an invalid port setting with the variable name', async () => {
    const { child, output } = await startStack({ FLOWFORGE_HOME: home(), FLOWFORGE_TEMPORAL_PORT: 'seventy' });
    expect(await exited(child)).toBe(1);
    expect(output()).toMatch(/FF_CONFIG[\s\S]*FLOWFORGE_TEMPORAL_PORT/);
  });

  it('comes up, runs a workflow through the CLI, and stops every child on Ctrl-C', async () => {
    const dir = home();
    const [port, temporalPort, uiPort, pgPort, metricsPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env = {
      FLOWFORGE_WORKER_METRICS_PORT: String(metricsPort),
      FLOWFORGE_HOME: dir,
      FLOWFORGE_PORT: String(port),
      FLOWFORGE_TEMPORAL_PORT: String(temporalPort),
      FLOWFORGE_TEMPORAL_UI_PORT: String(uiPort),
      FLOWFORGE_POSTGRES_PORT: String(pgPort),
    };
    const { child, output } = await startStack(env);
    try {
      await waitFor('the stack', 150_000, async () => {
        if (child.exitCode !== null) throw new Error(`the stack exited:\n${output()}`);
        return output().includes('FlowForge is up') ? true : undefined;
      });
      expect(output()).toContain(`http://127.0.0.1:${port}/graphql`);
      expect(output()).toContain(`http://127.0.0.1:${uiPort}`);
      expect((await fetch(`http://127.0.0.1:${uiPort}`)).ok).toBe(true);

      const cli = (...args: string[]) =>
        exec(join(root, 'flowforge'), args, { cwd: root, env: { ...process.env, ...env } });
      const pushed = JSON.parse((await cli('workflow', 'push', 'examples/hello.json', '--json')).stdout);
      expect(pushed).toMatchObject({
        workflow: 'hello',
        version: 1,
        hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      const run = JSON.parse((await cli('run', 'hello', '--input', '{"name":"Ada"}', '--wait', '--json')).stdout);
      expect(run.status).toBe('COMPLETED');
      expect(run.nodes.greet.output.main[0].json).toEqual({ name: 'Ada', greeting: 'Hello, Ada!' });
      // Both /metrics answer, as the "FlowForge is up" lines say; the worker counted the run.
      expect(output()).toContain(`http://127.0.0.1:${metricsPort}/metrics (worker)`);
      const controlPlaneMetrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(controlPlaneMetrics).toContain('# TYPE flowforge_approvals_waiting gauge');
      const workerMetrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(workerMetrics).toMatch(/^flowforge_runs_finished_total\{status="COMPLETED"\} 1$/m);
    } catch (error) {
      throw new Error(`${error}\n--- what npm start printed ---\n${output()}`);
    } finally {
      const pids = [...output().matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
      child.kill('SIGINT');
      expect(await exited(child)).toBe(0);
      expect(output()).toContain('stopped');
      expect(pids.length).toBeGreaterThanOrEqual(3);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
    }
  }, 240_000);
});
