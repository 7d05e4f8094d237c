import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESCRIBE_NODE_TYPES_WORKFLOW, type NodeTypesAnswer } from '@flowforge/connectors-sdk/contract';
import { generateSigningKeys } from '@flowforge/connectors-sdk/run-request';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, inject, it } from 'vitest';
import { loadWorkerConfig } from '../src/worker-config.ts';
import { uniqueName } from './support/test-runs.ts';

const root = join(import.meta.dirname, '..', '..');

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'workers/src/main.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

async function waitForOutput(output: () => string, text: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!output().includes(text)) {
    if (child.exitCode !== null) throw new Error(`the worker exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('worker configuration and main', () => {
  it('defaults the task queue, key file and artefact directory from FLOWFORGE_HOME', () => {
    const config = loadWorkerConfig({ FLOWFORGE_HOME: '/srv/ff' });
    expect(config).toMatchObject({
      taskQueue: 'flowforge',
      temporalAddress: '127.0.0.1:7233',
      publicKeyFile: '/srv/ff/keys/run-signing.pub',
      artifactsDir: '/srv/ff/artifacts',
      claimCheckBytes: 256 * 1024,
    });
  });

  it("fetches credentials from npm start's control plane with the home's worker token unless told otherwise", () => {
    expect(loadWorkerConfig({ FLOWFORGE_HOME: '/srv/ff' }).controlPlane).toEqual({
      url: 'http://127.0.0.1:4000',
      token: { file: '/srv/ff/keys/worker-token' },
    });
    const token = 't'.repeat(43);
    expect(
      loadWorkerConfig({ FLOWFORGE_CONTROL_PLANE_URL: 'https://cp.internal:8443', FLOWFORGE_WORKER_TOKEN: token })
        .controlPlane,
    ).toEqual({ url: 'https://cp.internal:8443', token });
    expect(() => loadWorkerConfig({ FLOWFORGE_CONTROL_PLANE_URL: 'cp:4000' })).toThrow(
      /FLOWFORGE_CONTROL_PLANE_URL: an http/,
    );
    expect(() => loadWorkerConfig({ FLOWFORGE_WORKER_TOKEN: 'short' })).toThrow(/FLOWFORGE_WORKER_TOKEN: at least 32/);
  });

  it('reads default circuit breaker thresholds (5 failures in 60s, 30s cool-down unless set)', () => {
    expect(loadWorkerConfig({}).circuitBreaker).toEqual({ failures: 5, windowMs: 60_000, coolDownMs: 30_000 });
    const config = loadWorkerConfig({
      FLOWFORGE_CIRCUIT_BREAKER_FAILURES: '3',
      FLOWFORGE_CIRCUIT_BREAKER_WINDOW: '10s',
      FLOWFORGE_CIRCUIT_BREAKER_COOL_DOWN: '2m',
    });
    expect(config.circuitBreaker).toEqual({ failures: 3, windowMs: 10_000, coolDownMs: 120_000 });
    expect(() => loadWorkerConfig({ FLOWFORGE_CIRCUIT_BREAKER_FAILURES: '0' })).toThrow(
      /FLOWFORGE_CIRCUIT_BREAKER_FAILURES: at least 1/,
    );
  });

  it('caps the workflow cache at 500 runs unless FLOWFORGE_MAX_CACHED_WORKFLOWS says otherwise', () => {
    expect(loadWorkerConfig({}).maxCachedWorkflows).toBe(500);
    expect(loadWorkerConfig({ FLOWFORGE_MAX_CACHED_WORKFLOWS: '250' }).maxCachedWorkflows).toBe(250);
    expect(loadWorkerConfig({ FLOWFORGE_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
    expect(() => loadWorkerConfig({ FLOWFORGE_MAX_CACHED_WORKFLOWS: '1' })).toThrow(
      /FLOWFORGE_MAX_CACHED_WORKFLOWS: 0 \(no cache\) or at least 2 runs/,
    );
    expect(() => loadWorkerConfig({ FLOWFORGE_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(
      /FLOWFORGE_MAX_CACHED_WORKFLOWS: a whole number of runs/,
    );
  });

  it('runs workflow code without the per-entry watchdog unless FLOWFORGE_WORKFLOW_WATCHDOG sets one', () => {
    expect(loadWorkerConfig({}).workflowWatchdog).toBe('off');
    expect(loadWorkerConfig({ FLOWFORGE_WORKFLOW_WATCHDOG: '5s' }).workflowWatchdog).toBe('5s');
    expect(() => loadWorkerConfig({ FLOWFORGE_WORKFLOW_WATCHDOG: 'sometimes' })).toThrow(
      /FLOWFORGE_WORKFLOW_WATCHDOG: "off" or a duration such as "5s"/,
    );
  });

  it('keeps no per-promise stack traces unless FLOWFORGE_WORKFLOW_STACK_TRACES is on', () => {
    expect(loadWorkerConfig({}).workflowStackTraces).toBe(false);
    expect(loadWorkerConfig({ FLOWFORGE_WORKFLOW_STACK_TRACES: 'on' }).workflowStackTraces).toBe(true);
    expect(() => loadWorkerConfig({ FLOWFORGE_WORKFLOW_STACK_TRACES: 'yes' })).toThrow(
      /FLOWFORGE_WORKFLOW_STACK_TRACES: "on" or "off"/,
    );
  });

  it('reports memory only when FLOWFORGE_MEMORY_REPORT_SECONDS is set', () => {
    expect(loadWorkerConfig({}).memoryReportSeconds).toBeUndefined();
    expect(loadWorkerConfig({ FLOWFORGE_MEMORY_REPORT_SECONDS: '5' }).memoryReportSeconds).toBe(5);
    expect(() => loadWorkerConfig({ FLOWFORGE_MEMORY_REPORT_SECONDS: '0' })).toThrow(
      /FLOWFORGE_MEMORY_REPORT_SECONDS: at least 1 second/,
    );
  });

  it('serves no metrics unless FLOWFORGE_WORKER_METRICS_PORT is set, then on every interface unless told', () => {
    expect(loadWorkerConfig({}).metrics).toBeUndefined();
    expect(loadWorkerConfig({ FLOWFORGE_WORKER_METRICS_PORT: '9464' }).metrics).toEqual({
      host: '0.0.0.0',
      port: 9464,
    });
    expect(
      loadWorkerConfig({ FLOWFORGE_WORKER_METRICS_PORT: '9464', FLOWFORGE_WORKER_METRICS_HOST: '127.0.0.1' }).metrics,
    ).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(() => loadWorkerConfig({ FLOWFORGE_WORKER_METRICS_PORT: '70000' })).toThrow(
      /FLOWFORGE_WORKER_METRICS_PORT: a port from 1 to 65535/,
    );
    expect(() => loadWorkerConfig({ FLOWFORGE_WORKER_METRICS_PORT: 'metrics' })).toThrow(
      /FLOWFORGE_WORKER_METRICS_PORT: a port number/,
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => loadWorkerConfig({ FLOWFORGE_TEMPORAL_ADDRESS: 'no port here' })).toThrow(
      /FLOWFORGE_TEMPORAL_ADDRESS: a host:port/,
    );
    expect(() => loadWorkerConfig({ FLOWFORGE_CLAIM_CHECK_BYTES: '5000000' })).toThrow(/FLOWFORGE_CLAIM_CHECK_BYTES/);
    expect(() => loadWorkerConfig({ FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: 'secret' })).toThrow(
      /FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: a PEM public key/,
    );
  });

  it('waits for the control plane key file, says it is ready, reports its memory when asked, and stops cleanly on SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'flowforge-worker-home-'));
    const taskQueue = uniqueName('main-test');
    const { child, output } = startMain({
      FLOWFORGE_HOME: home,
      FLOWFORGE_TEMPORAL_ADDRESS: inject('temporalAddress'),
      FLOWFORGE_TASK_QUEUE: taskQueue,
      FLOWFORGE_MEMORY_REPORT_SECONDS: '1',
    });
    try {
      await waitForOutput(output, "waiting for the control plane's run-signing public key", child);
      mkdirSync(join(home, 'keys'), { recursive: true });
      writeFileSync(join(home, 'keys', 'run-signing.pub'), generateSigningKeys().publicKeyPem);
      await waitForOutput(output, `worker ready on task queue ${taskQueue}`, child);
      await waitForOutput(output, 'memory: rss', child);
      expect(output()).toMatch(/memory: rss [\d.]+ MB, .*threadsHeapUsed [\d.]+ MB \(workflow threads: \d+\)/);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(output()).toContain('worker stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reads FLOWFORGE_NODE_PACKAGES as a comma-separated list', () => {
    expect(loadWorkerConfig({}).nodePackages).toEqual([]);
    expect(loadWorkerConfig({ FLOWFORGE_NODE_PACKAGES: ' ./a , @acme/b,' }).nodePackages).toEqual(['./a', '@acme/b']);
  });

  it('loads the node packages FLOWFORGE_NODE_PACKAGES names and tells the control plane their types', async () => {
    const taskQueue = uniqueName('main-packages');
    const { child, output } = startMain({
      FLOWFORGE_TEMPORAL_ADDRESS: inject('temporalAddress'),
      FLOWFORGE_TASK_QUEUE: taskQueue,
      FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: generateSigningKeys().publicKeyPem,
      FLOWFORGE_NODE_PACKAGES: './examples/connectors/acme-greet',
    });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      await waitForOutput(output, `worker ready on task queue ${taskQueue}`, child);
      expect(output()).toMatch(/node package \.\/examples\/connectors\/acme-greet \(.*src\/index\.ts\): acme\.greet/);
      const answer = await new Client({ connection }).workflow.execute<() => Promise<NodeTypesAnswer>>(
        DESCRIBE_NODE_TYPES_WORKFLOW,
        { taskQueue, workflowId: uniqueName('describe'), workflowExecutionTimeout: '20s' },
      );
      expect(answer.types.map((type) => type.type)).toContain('acme.greet');
      expect(answer.worker).toBe(`${child.pid}@${hostname()}`);
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await connection.close();
    }
  });

  it('exits with FF_CONFIG, saying what to do, when a node package does not load', async () => {
    const { child, output } = startMain({
      FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: generateSigningKeys().publicKeyPem,
      FLOWFORGE_NODE_PACKAGES: './examples/connectors/acme-greet,./no/such/package',
    });
    expect(await exited(child)).toBe(1);
    expect(output()).toContain('FF_CONFIG: FLOWFORGE_NODE_PACKAGES: "./no/such/package" does not load:');
    expect(output()).toContain('what to do: FLOWFORGE_NODE_PACKAGES takes module names');
  });

  it('exits with the FF_CONFIG error when a variable is invalid', async () => {
    const { child, output } = startMain({ FLOWFORGE_TEMPORAL_ADDRESS: 'nope' });
    expect(await exited(child)).toBe(1);
    expect(output()).toContain('FF_CONFIG: invalid worker configuration: FLOWFORGE_TEMPORAL_ADDRESS');
  });
});
