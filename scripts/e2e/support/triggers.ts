import { type RunView, RunViewSchema, type ScheduleView } from '@flowforge/connectors-sdk/contract';
import { Client, Connection, type ScheduleDescription } from '@temporalio/client';
import type { LocalStack } from '../../test-env/local-stack.ts';

/** What the trigger tests share: workflows with a trigger.schedule or trigger.webhook node, GraphQL calls, webhook requests, a Temporal client. */

export type Node = Record<string, unknown>;

/** schedule → stamp (core.set): the stamp reads the trigger item back. */
export function scheduledWorkflow(name: string, trigger: Record<string, unknown>, greeting = 'tick') {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'clock', type: 'trigger.schedule', params: trigger },
      { id: 'stamp', type: 'core.set', params: { values: { greeting, at: '={{ $json.scheduledAt }}' } } },
    ],
    edges: [{ from: 'clock', to: 'stamp' }],
  };
}

export async function pushAndActivate(stack: LocalStack, definition: Record<string, unknown>, version?: number) {
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
  const { activateWorkflow } = await stack.graphql<{
    activateWorkflow: { activeVersion: number; webhooks: Array<{ method: string; path: string; url: string }> };
  }>(
    'mutation ($n: String!, $v: Int) { activateWorkflow(name: $n, version: $v) { activeVersion webhooks { method path url } } }',
    { n: definition.name, v: version ?? null },
  );
  return activateWorkflow;
}

/** Pushes and activates a workflow whose first node is a trigger.webhook with `trigger` as params. */
export function activateWebhookWorkflow(
  stack: LocalStack,
  name: string,
  trigger: Record<string, unknown>,
  nodes: Node[],
  edges: Node[],
) {
  const nodesWithHook = [{ id: 'hook', type: 'trigger.webhook', params: trigger }, ...nodes];
  return pushAndActivate(stack, { schemaVersion: 1, name, nodes: nodesWithHook, edges });
}

/** A request to /webhook/<path> (POST, JSON unless told), with its answer read as text and JSON. */
export async function callWebhook(stack: LocalStack, path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}/webhook/${path}`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> };
}

export const SCHEDULE_FIELDS = 'workflow version nodeId scheduleId spec nextRuns paused note';

export async function schedulesOf(stack: LocalStack, workflow: string): Promise<ScheduleView[]> {
  const { schedules } = await stack.graphql<{ schedules: ScheduleView[] }>(
    `query ($w: String) { schedules(workflow: $w) { ${SCHEDULE_FIELDS} } }`,
    { w: workflow },
  );
  return schedules;
}

export async function runView(stack: LocalStack, runId: string, wait = 0): Promise<RunView> {
  const data = await stack.graphql<{ run: unknown }>(
    'query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { runId status workflow { name version } nodes error trigger } }',
    { id: runId, w: wait },
  );
  return RunViewSchema.parse(data.run);
}

export async function runsOf(stack: LocalStack, workflow: string): Promise<RunView[]> {
  const data = await stack.graphql<{ runs: unknown[] }>(
    'query ($w: String) { runs(workflow: $w, limit: 100) { runId status workflow { name version } nodes error trigger startedAt } }',
    { w: workflow },
  );
  return data.runs.map((run) => RunViewSchema.parse(run));
}

/** Polls `read` until `done` says yes (or throws after `timeoutMs`, with the last value). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

export interface TemporalForTests {
  client: Client;
  describe(scheduleId: string): Promise<ScheduleDescription>;
  close(): Promise<void>;
}

export async function temporalClient(address: string): Promise<TemporalForTests> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  return {
    client,
    describe: (scheduleId) => client.schedule.getHandle(scheduleId).describe(),
    close: () => connection.close(),
  };
}
