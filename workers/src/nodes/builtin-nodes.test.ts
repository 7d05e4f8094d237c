import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PortItems, paramsJsonSchema, validateWorkflow, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { builtinNodes, builtinRegistry } from './index.ts';

const examplesDir = new URL('../../../examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.json'));

function loadExample(name: string): WorkflowDefinition {
  const result = validateWorkflow(JSON.parse(readFileSync(new URL(name, examplesDir), 'utf8')), builtinRegistry);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  return result.definition;
}

/**
 * Walks an example DAG with the real nodes, the way the engine does in essence (ports with no
 * items are dead; a node with no live input is skipped), so the examples are known to work with
 * these nodes without Temporal. The engine's own tests cover the real interpreter.
 */
async function runExample(definition: WorkflowDefinition, runInput: unknown): Promise<Record<string, PortItems>> {
  const outputs: Record<string, PortItems> = {};
  const done = new Set<string>();
  while (done.size < definition.nodes.length) {
    const ready = definition.nodes.find(
      (node) => !done.has(node.id) && definition.edges.every((edge) => edge.to !== node.id || done.has(edge.from)),
    );
    if (!ready) throw new Error('the example has a cycle');
    done.add(ready.id);
    const incoming = definition.edges.filter((edge) => edge.to === ready.id);
    const inputs: PortItems = {};
    for (const edge of incoming) {
      const items = outputs[edge.from]?.[edge.fromPort] ?? [];
      if (items.length > 0) inputs[edge.toPort] = [...(inputs[edge.toPort] ?? []), ...items];
    }
    if (incoming.length > 0 && Object.keys(inputs).length === 0) continue;
    const type = builtinRegistry.get(ready.type);
    if (!type) throw new Error(`unknown type ${ready.type}`);
    const result = await runNodeForTest(type, {
      nodeId: ready.id,
      params: ready.params,
      inputs,
      nodeOutputs: outputs,
      runInput,
      runId: 'run-1',
      workflow: { name: definition.name, version: 1 },
    });
    outputs[ready.id] = result.outputs;
  }
  return outputs;
}

const exampleInput = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`inputs/${name}.json`, examplesDir), 'utf8'));

describe('the built-in nodes', () => {
  it('have unique namespaced types, version 1, a title, a description and described parameters', () => {
    expect(new Set(builtinNodes.map((node) => node.type)).size).toBe(builtinNodes.length);
    expect(builtinRegistry.size).toBe(builtinNodes.length);
    for (const node of builtinNodes) {
      expect(node.version, node.type).toBe(1);
      expect(node.displayName.length, node.type).toBeGreaterThan(1);
      expect(node.description.length, node.type).toBeGreaterThan(40);
      const schema = paramsJsonSchema(node) as {
        properties?: Record<string, { description?: string }>;
      };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, `${node.type}.${name}`).toBeTruthy();
      }
    }
  });

  it.each(exampleFiles)('validate the example %s', (name) => {
    expect(() => loadExample(name)).not.toThrow();
  });
});

function workflow(nodes: unknown[], edges: unknown[] = []) {
  return { schemaVersion: 1, name: 'check', nodes: [{ id: 'start', type: 'trigger.manual' }, ...nodes], edges };
}

describe('validating workflows with the built-in registry', () => {
  it('accepts expressions wherever run data decides the value', () => {
    const result = validateWorkflow(
      workflow(
        [
          { id: 'wait', type: 'core.wait', params: { until: '={{ $now.plus({ days: 1 }) }}' } },
          { id: 'top', type: 'core.limit', params: { max: '={{ $json.n }}' } },
          { id: 'call', type: 'http.request', params: { url: '={{ $json.url }}', timeout: '={{ $json.t }}' } },
        ],
        [
          { from: 'start', to: 'wait' },
          { from: 'wait', to: 'top' },
          { from: 'top', to: 'call' },
        ],
      ),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('reports bad literal parameters with their path', () => {
    const result = validateWorkflow(
      workflow(
        [
          { id: 'join', type: 'core.merge', params: { mode: 'combineByKey' } },
          { id: 'wait', type: 'core.wait', params: {} },
        ],
        [
          { from: 'start', to: 'join', toPort: 'in1' },
          { from: 'start', to: 'wait' },
        ],
      ),
      builtinRegistry,
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'FF_INVALID_PARAMS', path: ['nodes', 1, 'params', 'key'] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'FF_INVALID_PARAMS', message: expect.stringContaining('exactly one') }),
    );
  });

  it('knows a switch\u2019s ports from its rules and a merge\u2019s extra inputs', () => {
    const rules = [{ port: 'big', condition: '={{ $json.n > 9 }}' }];
    const nodes = [
      { id: 'route', type: 'core.switch', params: { rules, fallbackPort: 'rest' } },
      { id: 'join', type: 'core.merge' },
    ];
    const good = validateWorkflow(
      workflow(nodes, [
        { from: 'start', to: 'route' },
        { from: 'route', fromPort: 'big', to: 'join', toPort: 'in1' },
        { from: 'route', fromPort: 'rest', to: 'join', toPort: 'in3' },
      ]),
      builtinRegistry,
    );
    expect(good).toMatchObject({ ok: true });
    const bad = validateWorkflow(
      workflow(nodes, [
        { from: 'start', to: 'route' },
        { from: 'route', fromPort: 'small', to: 'join', toPort: 'in1' },
      ]),
      builtinRegistry,
    );
    expect(bad).toMatchObject({ ok: false, issues: [expect.objectContaining({ code: 'FF_EDGE_UNKNOWN_PORT' })] });
  });
});

describe('the examples, run with the built-in nodes', () => {
  it('hello greets the name in the input', async () => {
    const outputs = await runExample(loadExample('hello.json'), { name: 'Ada' });
    expect(jsonOf({ outputs: outputs.greet ?? {} })).toEqual([{ name: 'Ada', greeting: 'Hello, Ada!' }]);
  });

  it('branching routes big orders to review and joins both branches', async () => {
    const outputs = await runExample(loadExample('branching.json'), exampleInput('branching'));
    expect(jsonOf({ outputs: outputs.done ?? {} })).toEqual([
      { order: 'A-2', total: 5000, route: 'review' },
      { order: 'A-1', total: 50, route: 'auto' },
    ]);
  });

  it('etl keeps the top three paid orders, de-duplicated, by gross amount', async () => {
    const outputs = await runExample(loadExample('etl.json'), exampleInput('etl'));
    expect(jsonOf({ outputs: outputs.report ?? {} })).toEqual([{ topOrderIds: ['o4', 'o1', 'o3'] }]);
  });

  it('code-transform computes totals in the sandbox and sorts them', async () => {
    const outputs = await runExample(loadExample('code-transform.json'), exampleInput('code-transform'));
    expect(jsonOf({ outputs: outputs.byTotal ?? {} })).toEqual([
      { sku: 'desk', total: 220 },
      { sku: 'lamp', total: 70 },
      { sku: 'pen', total: 15 },
    ]);
  });

  it('fan-out-merge merges three parallel branches item by item', async () => {
    const outputs = await runExample(loadExample('fan-out-merge.json'), exampleInput('fan-out-merge'));
    expect(jsonOf({ outputs: outputs.combine ?? {} })).toEqual([
      { profile: 'ADA', score: 30, run: 'run-1', workflow: 'fan-out-merge' },
      { profile: 'GRACE', score: 50, run: 'run-1', workflow: 'fan-out-merge' },
    ]);
  });

  it('http-retry fetches the document at the input URL and keeps two fields', async () => {
    const server = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'doc-1', status: 'ok', extra: true }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/doc`;
      const outputs = await runExample(loadExample('http-retry.json'), { url });
      expect(jsonOf({ outputs: outputs.pick ?? {} })).toEqual([{ id: 'doc-1', status: 'ok' }]);
    } finally {
      server.close();
    }
  });
});
