import { readdirSync, readFileSync } from 'node:fs';
import { paramsJsonSchema, validateWorkflow, type WorkflowDefinition } from '@flowforge/connectors-sdk';

import { describe, expect, it } from 'vitest';
import { builtinNodes, builtinRegistry } from './index.ts';

const examplesDir = new URL('../../../examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((name) => name.endsWith('.json'));

function loadExample(name: string): WorkflowDefinition {
  const result = validateWorkflow(JSON.parse(readFileSync(new URL(name, examplesDir), 'utf8')), builtinRegistry);
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  return result.definition;
}

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

// The examples run end to end on Temporal in scripts/e2e/examples.test.ts.
