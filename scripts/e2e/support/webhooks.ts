import { type RunView, RunViewSchema } from '@flowforge/connectors-sdk/contract';
import type { LocalStack } from '../../test-env/local-stack.ts';

type Node = Record<string, unknown>;

/** Pushes a workflow whose first node is a trigger.webhook with `trigger` as params, and activates it. */
export async function activateWebhookWorkflow(
  stack: LocalStack,
  name: string,
  trigger: Record<string, unknown>,
  nodes: Node[],
  edges: Node[],
) {
  const definition = {
    schemaVersion: 1,
    name,
    nodes: [{ id: 'hook', type: 'trigger.webhook', params: trigger }, ...nodes],
    edges,
  };
  await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
  return stack.graphql<{ activateWorkflow: { activeVersion: number; webhooks: Array<{ url: string }> } }>(
    'mutation ($n: String!) { activateWorkflow(name: $n) { activeVersion webhooks { method path url } } }',
    { n: name },
  );
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

export async function runView(stack: LocalStack, runId: string, wait = 0): Promise<RunView> {
  const data = await stack.graphql<{ run: unknown }>(
    'query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { runId status workflow { name version } nodes error } }',
    { id: runId, w: wait },
  );
  return RunViewSchema.parse(data.run);
}
