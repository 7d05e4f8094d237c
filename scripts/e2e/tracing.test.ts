import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../test-env/http-test-server.ts';
import { uniqueName } from '../test-env/index.ts';
import { type LocalStack, startTestStack } from '../test-env/local-stack.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../test-env/otlp-receiver.ts';
import { activateWebhookWorkflow, callWebhook, runView } from './support/triggers.ts';

/**
 * Traces (issue 11) on the real stack: a control plane and a worker in this process with
 * OTEL_EXPORTER_OTLP_ENDPOINT set to a local OTLP/HTTP receiver (the default protocol, http/protobuf),
 * real Temporal and PostgreSQL. One
 * trace must run from the request's span on the control plane, through Temporal's StartWorkflow and
 * RunWorkflow spans, to each executeNode activity, with the parent links and node attributes.
 */
let receiver: OtlpReceiver;
let server: HttpTestServer;
let stack: LocalStack;
beforeAll(async () => {
  [receiver, server] = await Promise.all([startOtlpReceiver(), startHttpTestServer()]);
  stack = await startTestStack({
    tracing: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([receiver?.close(), server?.close()]);
});

const CONTROL_PLANE = 'flowforge-control-plane';
const WORKER = 'flowforge-worker';
const SERVER_KIND = 2;

function nodeSpans(spans: ReceivedSpan[], runId: string): ReceivedSpan[] {
  return spans.filter(
    (span) => span.name === 'RunActivity:executeNode' && span.attributes['flowforge.run.id'] === runId,
  );
}

/**
 * The run's trace, checked link by link: request span → StartWorkflow (control plane) → RunWorkflow
 * (worker) → StartActivity (worker, in the workflow) → RunActivity:executeNode. Returns its node spans.
 */
async function traceOfRun(runId: string, requestSpan: string, nodes: number): Promise<ReceivedSpan[]> {
  // Spans arrive as they end, in batches: the run's (at its end) and the request's (with its answer, after
  // the run for a webhook answered by its last node) may come after the nodes'.
  const spans = await receiver.waitFor((all) => {
    const traceId = nodeSpans(all, runId)[0]?.traceId;
    const ended = (name: string) => all.some((span) => span.traceId === traceId && span.name === name);
    return ended(requestSpan) && ended('RunWorkflow:runDag') && nodeSpans(all, runId).length >= nodes;
  });
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);

  const start = spans.find(
    (span) => span.name === 'StartWorkflow:runDag' && span.attributes.temporalWorkflowId === runId,
  );
  expect(start, 'the StartWorkflow span of the run').toBeDefined();
  const request = parentOf(start as ReceivedSpan);
  expect(request).toMatchObject({ service: CONTROL_PLANE, name: requestSpan, kind: SERVER_KIND });
  expect(request?.parentSpanId).toBeUndefined();
  const traceId = request?.traceId;

  const run = spans.find((span) => span.name === 'RunWorkflow:runDag' && span.parentSpanId === start?.spanId);
  expect(run).toMatchObject({ service: WORKER, traceId });

  const executed = nodeSpans(spans, runId);
  expect(executed).toHaveLength(nodes);
  for (const span of executed) {
    expect(span).toMatchObject({ service: WORKER, traceId });
    const scheduled = parentOf(span);
    expect(scheduled).toMatchObject({ name: 'StartActivity:executeNode', service: WORKER, traceId });
    expect(scheduled?.parentSpanId).toBe(run?.spanId);
  }
  return executed;
}

const attributesOf = (span: ReceivedSpan) => ({
  id: span.attributes['flowforge.node.id'],
  type: span.attributes['flowforge.node.type'],
  attempt: span.attributes['flowforge.node.attempt'],
  outcome: span.attributes['flowforge.node.outcome'],
});

describe('traces', () => {
  it('a run started over GraphQL: POST /graphql → runDag → each node, the failed attempt and the retry that succeeded', async () => {
    const name = uniqueName('traced');
    const flaky = `/fail-first/${uniqueName('flaky')}`;
    const definition = {
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'shape', type: 'core.set', params: { values: { n: 1 } } },
        {
          id: 'fetch',
          type: 'http.request',
          params: { url: `${server.url}${flaky}?times=1` },
          retry: { maxAttempts: 2, initialInterval: '100ms' },
        },
      ],
      edges: [
        { from: 'start', to: 'shape' },
        { from: 'shape', to: 'fetch' },
      ],
    };
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
    const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
      'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
      { w: name },
    );
    expect((await runView(stack, startRun.runId, 30)).status).toBe('COMPLETED');

    const executed = await traceOfRun(startRun.runId, 'POST /graphql', 4);
    const seen = executed.map(attributesOf).sort((a, b) => `${a.id}${a.attempt}`.localeCompare(`${b.id}${b.attempt}`));
    expect(seen).toEqual([
      { id: 'fetch', type: 'http.request', attempt: 1, outcome: 'failed' },
      { id: 'fetch', type: 'http.request', attempt: 2, outcome: 'success' },
      { id: 'shape', type: 'core.set', attempt: 1, outcome: 'success' },
      { id: 'start', type: 'trigger.manual', attempt: 1, outcome: 'success' },
    ]);
    const failed = executed.find((span) => span.attributes['flowforge.node.outcome'] === 'failed');
    expect(failed?.attributes['flowforge.node.error_code']).toMatch(/^FF_/);
    expect(failed?.status).toBe(2);
    expect(executed.every((span) => span.attributes['flowforge.workflow.name'] === name)).toBe(true);
  });

  it('a run started by a webhook: POST /webhook/* → runDag → each node', async () => {
    const path = uniqueName('traced-hook');
    await activateWebhookWorkflow(
      stack,
      uniqueName('traced-hook'),
      { path },
      [{ id: 'echo', type: 'core.set', params: { values: { seen: '={{ $json.body.x }}' } } }],
      [{ from: 'hook', to: 'echo' }],
    );
    const response = await callWebhook(stack, path, { body: JSON.stringify({ x: 7 }) });
    expect(response.status).toBe(200);
    const runId = response.headers.get('x-flowforge-run-id') ?? '';

    const executed = await traceOfRun(runId, 'POST /webhook/*', 2);
    expect(executed.map(attributesOf).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([
      { id: 'echo', type: 'core.set', attempt: 1, outcome: 'success' },
      { id: 'hook', type: 'trigger.webhook', attempt: 1, outcome: 'success' },
    ]);
    const request = receiver.spans().find((span) => span.traceId === executed[0]?.traceId && !span.parentSpanId);
    expect(request?.attributes).toMatchObject({ 'url.path': `/webhook/${path}`, 'http.response.status_code': 200 });
  });
});
