import { builtinNodeTypes } from '@flowforge/connectors-sdk/builtin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloDefinition, startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * The catalogue with no worker on the task queue: the built-in types only, and a type only workers
 * could define is refused at once (Temporal says nobody polls), naming the queue that was checked.
 * With workers: scripts/e2e/custom-connector.test.ts.
 */

const NODE_TYPES = `query ($q: String) { nodeTypes(taskQueue: $q) {
  type displayName description group version defaultTimeout paramsSchema inputs outputs credentials capabilities
  dynamicInputs dynamicOutputs extraInputs extraOutputs literalParams source } }`;
const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { workflow version } }';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(() => cp?.close());

function withType(type: string) {
  const definition = helloDefinition();
  return {
    ...definition,
    nodes: [...definition.nodes, { id: 'custom', type, params: { name: 'Ada' } }],
    edges: [...definition.edges, { from: 'greet', to: 'custom' }],
  };
}

describe('GraphQL nodeTypes and nodeType without workers', () => {
  it('lists every built-in type in palette order with its params JSON Schema, ports and capabilities', async () => {
    const { body } = await cp.graphql(NODE_TYPES);
    expect(body.errors).toBeUndefined();
    const types = body.data.nodeTypes as Array<Record<string, unknown>>;
    expect(types.map((t) => t.type)).toEqual(builtinNodeTypes.map((d) => d.type));
    expect(types.every((t) => t.source === 'builtin')).toBe(true);
    expect(types.find((t) => t.type === 'http.request')).toMatchObject({
      displayName: 'HTTP Request',
      group: 'integration',
      version: 1,
      defaultTimeout: '5m',
      paramsSchema: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri' } } },
      inputs: ['main'],
      outputs: ['main'],
      // One slot per authentication choice, each needed only when chosen.
      credentials: ['httpHeaderAuth', 'httpBasicAuth', 'httpBearerAuth', 'oauth2ClientCredentials'].map((slot) => ({
        name: slot,
        type: slot,
        required: false,
        description: expect.stringContaining(`authentication is "${slot}"`),
      })),
      capabilities: { trigger: false, durableWait: false, pure: false, linkedWorkflows: false },
    });
    expect(types.find((t) => t.type === 'core.switch')).toMatchObject({ outputs: [], dynamicOutputs: true });
    expect(types.find((t) => t.type === 'core.merge')).toMatchObject({ extraInputs: '^in([3-9]|[1-9]\\d)$' });
  });

  it('answers one type, or null for one nobody offers', async () => {
    const { body } = await cp.graphql(
      '{ set: nodeType(type: "core.set") { type paramsSchema source } none: nodeType(type: "acme.nope") { type } }',
    );
    expect(body.data.set).toMatchObject({
      type: 'core.set',
      source: 'builtin',
      paramsSchema: { required: ['values'] },
    });
    expect(body.data.none).toBeNull();
  });
});

describe('validation of types only workers define, with no worker on the queue', () => {
  it('refuses a push at once with FF_UNKNOWN_NODE_TYPE naming the task queue nobody polls', async () => {
    const started = Date.now();
    const { body } = await cp.graphql(PUSH, { d: withType('acme.greet') });
    expect(Date.now() - started).toBeLessThan(2000);
    const error = body.errors?.[0];
    expect(error?.extensions.code).toBe('FF_UNKNOWN_NODE_TYPE');
    expect(error?.message).toContain(
      `unknown node type "acme.greet": no worker polls task queue "${cp.taskQueue}" now, so none could offer it`,
    );
    expect(error?.extensions.issues).toEqual([
      expect.objectContaining({ code: 'FF_UNKNOWN_NODE_TYPE', path: ['nodes', 2, 'type'] }),
    ]);
    expect(error?.extensions.hint).toContain('FLOWFORGE_NODE_PACKAGES');
  });

  it('validateWorkflow says the same per issue, and a file of built-in types never asks Temporal', async () => {
    const { body } = await cp.graphql(
      'query ($d: JSON!) { validateWorkflow(definition: $d) { valid issues { code message path } } }',
      { d: withType('acme.greet') },
    );
    expect(body.data.validateWorkflow.valid).toBe(false);
    expect(body.data.validateWorkflow.issues[0].message).toContain(`task queue "${cp.taskQueue}"`);
    // Unreachable Temporal: only a file that needs the workers' answer notices.
    const offline = await startTestControlPlane({
      databaseUrl: cp.databaseUrl,
      temporalAddress: '127.0.0.1:1',
      nodeTypes: { answerTimeoutMs: 1000 },
    });
    try {
      expect((await offline.graphql(PUSH, { d: helloDefinition() })).body.errors).toBeUndefined();
      const refused = await offline.graphql(PUSH, { d: withType('acme.greet') });
      expect(refused.body.errors?.[0]?.extensions.code).toBe('FF_UNAVAILABLE');
      expect(refused.body.errors?.[0]?.message).toContain('could not ask Temporal which workers poll task queue');
    } finally {
      await offline.close();
    }
  });
});
