import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../stack/ports.ts';
import type { GraphQL } from '../test-env/index.ts';
import { uniqueName } from '../test-env/index.ts';
import { type ServiceProcesses, startServiceProcesses } from './support/service-processes.ts';

/**
 * /metrics and the JSON logs of a control plane and a worker as npm start runs them (processes of
 * their own, FLOWFORGE_WORKER_METRICS_PORT set, FLOWFORGE_LOG_LEVEL info), on a task queue of their
 * own so that every figure is this file's runs alone.
 */

let services: ServiceProcesses;
let graphql: GraphQL;
let workerMetricsUrl: string;
let controlPlaneUrl: string;
const metricsToken = `metrics-${uniqueName('token')}`;

beforeAll(async () => {
  const metricsPort = await freePort();
  workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const info = { FLOWFORGE_LOG_LEVEL: 'info' };
  services = await startServiceProcesses({
    name: 'observe',
    controlPlaneEnv: { ...info, FLOWFORGE_METRICS_TOKEN: metricsToken },
    workerEnv: {
      ...info,
      FLOWFORGE_WORKER_METRICS_PORT: String(metricsPort),
      FLOWFORGE_WORKER_METRICS_HOST: '127.0.0.1',
    },
  });
  graphql = services.graphql;
  controlPlaneUrl = services.controlPlane.url;
});
afterAll(async () => {
  await services?.stop();
});

const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }';
const START = 'mutation ($w: String!) { startRun(workflow: $w) { runId } }';
const VIEW = 'query ($id: ID!, $wait: Int) { run(id: $id, waitSeconds: $wait) { status } }';

/** A chain: each node feeds the next. */
async function push(name: string, nodes: Array<Record<string, unknown>>): Promise<void> {
  const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index]?.id, to: node.id }));
  await graphql(PUSH, { d: { schemaVersion: 1, name, nodes, edges } });
}

async function pushAndRun(name: string, nodes: Array<Record<string, unknown>>): Promise<string> {
  await push(name, nodes);
  const { startRun } = await graphql<{ startRun: { runId: string } }>(START, { w: name });
  return startRun.runId;
}

async function finished(runId: string): Promise<string> {
  const { run } = await graphql<{ run: { status: string } }>(VIEW, { id: runId, wait: 60 });
  return run.status;
}

async function scrape(url: string, token?: string): Promise<string> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one series (`name{a="1",b="2"}`, labels in any order); undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Visibility is eventually consistent: the gauge follows the run within a moment. */
async function approvalsWaiting(expected: number): Promise<void> {
  await waitFor(`flowforge_approvals_waiting ${expected}`, 20_000, async () => {
    const text = await scrape(`${controlPlaneUrl}/metrics`, metricsToken);
    return sample(text, 'flowforge_approvals_waiting') === expected ? true : undefined;
  });
}

describe('metrics and logs of a control plane and a worker', () => {
  it('counts runs by trigger and status and node attempts by type and outcome, on the worker port', async () => {
    const ok = await pushAndRun(uniqueName('observe-ok'), [
      { id: 'start', type: 'trigger.manual' },
      { id: 'greet', type: 'core.set', params: { values: { greeting: 'hi' } } },
    ]);
    const broken = await pushAndRun(uniqueName('observe-broken'), [
      { id: 'start', type: 'trigger.manual' },
      { id: 'stop', type: 'core.stopAndError', params: { message: 'on purpose' } },
    ]);
    expect(await finished(ok)).toBe('COMPLETED');
    expect(await finished(broken)).toBe('FAILED');

    const text = await scrape(workerMetricsUrl);
    expect(sample(text, 'flowforge_runs_started_total', { trigger: 'manual' })).toBe(2);
    expect(sample(text, 'flowforge_runs_finished_total', { status: 'COMPLETED' })).toBe(1);
    expect(sample(text, 'flowforge_runs_finished_total', { status: 'FAILED' })).toBe(1);
    const count = (type: string, outcome: string) =>
      sample(text, 'flowforge_node_duration_seconds_count', { node_type: type, outcome });
    expect(count('core.set', 'succeeded')).toBe(1);
    expect(count('trigger.manual', 'succeeded')).toBe(2);
    expect(count('core.stopAndError', 'failed')).toBe(1);
    expect(sample(text, 'flowforge_node_duration_seconds_bucket', { node_type: 'core.set', le: '+Inf' })).toBe(1);
    expect(text).toContain('# TYPE flowforge_node_duration_seconds histogram');
  });

  it('counts the runs a webhook and a Temporal Schedule start, which the worker sees and the control plane may not', async () => {
    const activate = (name: string) =>
      graphql('mutation ($n: String!) { activateWorkflow(name: $n) { activeVersion } }', { n: name });
    const hookName = uniqueName('observe-hook');
    const path = uniqueName('observe');
    await push(hookName, [
      { id: 'hook', type: 'trigger.webhook', params: { path } },
      { id: 'ack', type: 'core.set', params: { values: { ok: true } } },
    ]);
    await activate(hookName);
    const answer = await fetch(`${services.controlPlane.url}/webhook/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":1}',
    });
    expect(answer.status).toBe(200);

    const clockName = uniqueName('observe-clock');
    await push(clockName, [
      { id: 'clock', type: 'trigger.schedule', params: { cron: '0 0 1 1 *', timezone: 'UTC' } },
      { id: 'stamp', type: 'core.set', params: { values: { at: '={{ $json.scheduledAt }}' } } },
    ]);
    await activate(clockName);
    const { triggerSchedule } = await graphql<{ triggerSchedule: Array<{ runId: string }> }>(
      'mutation ($w: String!) { triggerSchedule(workflow: $w) { runId } }',
      { w: clockName },
    );
    expect(await finished(triggerSchedule[0]?.runId ?? '')).toBe('COMPLETED');

    const text = await waitFor('both runs counted', 20_000, async () => {
      const scraped = await scrape(workerMetricsUrl);
      const webhook = sample(scraped, 'flowforge_runs_started_total', { trigger: 'webhook' });
      const schedule = sample(scraped, 'flowforge_runs_started_total', { trigger: 'schedule' });
      return webhook === 1 && schedule === 1 ? scraped : undefined;
    });
    expect(sample(text, 'flowforge_node_duration_seconds_count', { node_type: 'trigger.schedule' })).toBe(1);
    expect(sample(text, 'flowforge_node_duration_seconds_count', { node_type: 'trigger.webhook' })).toBe(1);
  });

  it('gauges the runs waiting for approval on the control plane, and counts a cancelled run on the worker', async () => {
    await approvalsWaiting(0);
    const completedBefore =
      sample(await scrape(workerMetricsUrl), 'flowforge_runs_finished_total', { status: 'COMPLETED' }) ?? 0;
    const approval = [
      { id: 'start', type: 'trigger.manual' },
      { id: 'ask', type: 'core.approval', params: { message: 'ok?' } },
    ];
    const approved = await pushAndRun(uniqueName('observe-approve'), approval);
    const cancelled = await pushAndRun(uniqueName('observe-cancel'), approval);
    await approvalsWaiting(2);
    await graphql('mutation ($r: ID!) { approve(runId: $r, comment: "fine") { runId } }', { r: approved });
    expect(await finished(approved)).toBe('COMPLETED');
    await graphql('mutation ($id: ID!) { cancelRun(id: $id) { status } }', { id: cancelled });
    expect(await finished(cancelled)).toBe('CANCELLED');
    await approvalsWaiting(0);

    const text = await scrape(workerMetricsUrl);
    expect(sample(text, 'flowforge_runs_finished_total', { status: 'CANCELLED' })).toBe(1);
    expect(sample(text, 'flowforge_runs_finished_total', { status: 'COMPLETED' })).toBe(completedBefore + 1);
    expect(sample(text, 'flowforge_node_duration_seconds_count', { node_type: 'core.approval' })).toBe(2);
  });

  it("serves the Temporal SDK's own worker metrics on the same port: task slots, poll latency, schedule-to-start (after remote activities ran)", async () => {
    const text = await scrape(workerMetricsUrl);
    expect(sample(text, 'temporal_worker_task_slots_available', { worker_type: 'ActivityWorker' })).toBeGreaterThan(0);
    expect(sample(text, 'temporal_long_request_latency_count', { operation: 'PollWorkflowTaskQueue' })).toBeGreaterThan(
      0,
    );
    expect(sample(text, 'temporal_workflow_task_schedule_to_start_latency_count')).toBeGreaterThan(0);
    expect(sample(text, 'temporal_activity_schedule_to_start_latency_count')).toBeGreaterThan(0);
    // The worker's own process figures, from prom-client.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("times the control plane's HTTP requests by route, and asks for FLOWFORGE_METRICS_TOKEN when it is set", async () => {
    const text = await scrape(`${controlPlaneUrl}/metrics`, metricsToken);
    const graphqlCalls = sample(text, 'flowforge_http_request_duration_seconds_count', {
      route: '/graphql',
      method: 'POST',
      status_code: '200',
    });
    expect(graphqlCalls).toBeGreaterThanOrEqual(6);
    expect(text).toContain('# TYPE flowforge_approvals_waiting gauge');
    expect(text).not.toMatch(/route="\/metrics"/);

    const without = await fetch(`${controlPlaneUrl}/metrics`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as { error: { code: string } }).error.code).toBe('FF_UNAUTHENTICATED');
    const wrong = await fetch(`${controlPlaneUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('logs JSON lines: node attempts with run, node, attempt, workflow and version; requests with an id', async () => {
    const name = uniqueName('observe-log');
    const runId = await pushAndRun(name, [
      { id: 'start', type: 'trigger.manual' },
      { id: 'shout', type: 'core.set', params: { values: { loud: 'HI' } } },
    ]);
    expect(await finished(runId)).toBe('COMPLETED');
    const nodeLine = await waitFor('the worker logs the node', 10_000, async () =>
      services
        .jsonLines('worker')
        .find((line) => line.msg === 'node finished' && line.runId === runId && line.nodeId === 'shout'),
    );
    expect(nodeLine).toMatchObject({
      level: 30,
      service: 'flowforge-worker',
      runId,
      nodeId: 'shout',
      nodeType: 'core.set',
      attempt: 1,
      workflow: name,
      version: 1,
      outcome: 'succeeded',
    });
    expect(typeof nodeLine.durationMs).toBe('number');

    const response = await fetch(`${controlPlaneUrl}/healthz`, { headers: { 'x-request-id': 'trace-me-42' } });
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
    const generated = await fetch(`${controlPlaneUrl}/healthz`, {
      headers: { 'x-request-id': 'no spaces {allowed}' },
    });
    const generatedId = generated.headers.get('x-request-id') ?? '';
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor('the control plane logs both requests', 10_000, async () => {
      const ids = services.jsonLines('control-plane').map((line) => line.reqId);
      return ids.includes('trace-me-42') && ids.includes(generatedId) ? true : undefined;
    });
    const completed = services
      .jsonLines('control-plane')
      .find((line) => line.reqId === 'trace-me-42' && line.msg === 'request completed');
    expect(completed).toMatchObject({ service: 'flowforge-control-plane', res: { statusCode: 200 } });
  });

  it('keeps the bearer token of an approval link or a resume webhook out of the request log', async () => {
    const token = `tok${uniqueName('link').replace(/[^a-z0-9]/gi, '')}`;
    await fetch(`${controlPlaneUrl}/approvals/${token}`);
    await fetch(`${controlPlaneUrl}/webhook/resume/${token}?secret=${token}`, { method: 'POST', body: '{}' });
    await waitFor('the control plane logs both', 10_000, async () => {
      const urls = services.jsonLines('control-plane').map((line) => (line.req as { url?: string } | undefined)?.url);
      return urls.includes('/approvals/[redacted]') && urls.includes('/webhook/resume/[redacted]?[redacted]')
        ? true
        : undefined;
    });
    expect(services.logs.join('\n')).not.toContain(token);
  });
});
