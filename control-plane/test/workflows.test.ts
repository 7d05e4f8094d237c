import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloDefinition, startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

const PUSH = `mutation ($definition: JSON!) { pushWorkflow(definition: $definition) { workflow version hash created } }`;

describe('pushing and listing workflows', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('stores a new workflow as version 1 with the sha256 of its parsed definition', async () => {
    const definition = helloDefinition();
    const { body } = await cp.graphql(PUSH, { definition });
    expect(body.errors).toBeUndefined();
    expect(body.data.pushWorkflow).toEqual({
      workflow: definition.name,
      version: 1,
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      created: true,
    });
  });

  it('returns the same version for identical content, even with keys reordered and defaults spelled out', async () => {
    const definition = helloDefinition();
    const first = (await cp.graphql(PUSH, { definition })).body.data.pushWorkflow;
    const respelled = {
      edges: [{ toPort: 'main', to: 'greet', from: 'start', fromPort: 'main' }],
      nodes: definition.nodes.map((node) => ({ onError: 'stop', params: {}, ...node })),
      settings: {},
      name: definition.name,
      schemaVersion: 1,
    };
    const second = (await cp.graphql(PUSH, { definition: respelled })).body.data.pushWorkflow;
    expect(second).toEqual({ ...first, created: false });
  });

  it('makes version 2 when the content changes, and keeps version 1', async () => {
    const v1 = helloDefinition();
    await cp.graphql(PUSH, { definition: v1 });
    const v2 = helloDefinition('=Hi, {{ $json.name }}!', v1.name);
    const pushed = (await cp.graphql(PUSH, { definition: v2 })).body.data.pushWorkflow;
    expect(pushed).toMatchObject({ workflow: v1.name, version: 2, created: true });

    const { body } = await cp.graphql(
      `query ($name: String!) { workflow(name: $name) {
      name latestVersion versions { version hash createdAt definition } } }`,
      { name: v1.name },
    );
    expect(body.data.workflow.latestVersion).toBe(2);
    expect(body.data.workflow.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(body.data.workflow.versions[1].definition.nodes[1].params.values.greeting).toBe('=Hello, {{ $json.name }}!');
    expect(body.data.workflow.versions[0].hash).toBe(pushed.hash);
  });

  it('rejects an invalid definition with FF_VALIDATION and every issue, each with a code and a path', async () => {
    const definition = {
      schemaVersion: 1,
      name: 'broken',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'start', type: 'core.set', params: { values: {} } },
        { id: 'x', type: 'core.nope' },
        { id: 'y', type: 'core.set', params: { values: 'not an object' } },
      ],
      edges: [{ from: 'start', to: 'ghost' }],
    };
    const { body } = await cp.graphql(PUSH, { definition });
    expect(body.data).toBeNull();
    const error = body.errors?.[0];
    expect(error?.extensions.code).toBe('FF_VALIDATION');
    expect(error?.extensions.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'FF_DUPLICATE_NODE_ID', path: ['nodes', 1, 'id'] }),
        expect.objectContaining({ code: 'FF_UNKNOWN_NODE_TYPE', path: ['nodes', 2, 'type'] }),
        expect.objectContaining({ code: 'FF_INVALID_PARAMS', path: ['nodes', 3, 'params', 'values'] }),
        expect.objectContaining({ code: 'FF_EDGE_UNKNOWN_NODE', path: ['edges', 0, 'to'] }),
      ]),
    );
    const list = (await cp.graphql('{ workflows { name } }')).body.data.workflows;
    expect(list.map((w: { name: string }) => w.name)).not.toContain('broken');
  });

  it('reports shape errors with their paths (zod) under FF_VALIDATION', async () => {
    const { body } = await cp.graphql(PUSH, { definition: { schemaVersion: 2, name: 'Bad Name', nodes: [] } });
    const issues = body.errors?.[0]?.extensions.issues as Array<{ path: unknown[] }>;
    expect(body.errors?.[0]?.extensions.code).toBe('FF_VALIDATION');
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([['schemaVersion'], ['name'], ['nodes']]));
  });

  it('validates without storing anything', async () => {
    const definition = helloDefinition();
    const valid = await cp.graphql(
      `query ($d: JSON!) { validateWorkflow(definition: $d) { valid issues { code path } } }`,
      {
        d: definition,
      },
    );
    expect(valid.body.data.validateWorkflow).toEqual({ valid: true, issues: [] });
    const invalid = await cp.graphql(
      `query ($d: JSON!) { validateWorkflow(definition: $d) { valid issues { code path } } }`,
      {
        d: { ...definition, edges: [{ from: 'start', to: 'greet', fromPort: 'nope' }] },
      },
    );
    expect(invalid.body.data.validateWorkflow).toEqual({
      valid: false,
      issues: [{ code: 'FF_EDGE_UNKNOWN_PORT', path: ['edges', 0, 'fromPort'] }],
    });
    const found = await cp.graphql(`query ($n: String!) { workflow(name: $n) { name } }`, { n: definition.name });
    expect(found.body.data.workflow).toBeNull();
  });

  it('lists every workflow with its latest version and versions, newest first', async () => {
    const a = helloDefinition();
    const b = helloDefinition();
    await cp.graphql(PUSH, { definition: a });
    await cp.graphql(PUSH, { definition: b });
    await cp.graphql(PUSH, { definition: helloDefinition('=Yo', b.name) });
    const { body } = await cp.graphql('{ workflows { name latestVersion versions { version hash } } }');
    const byName = new Map(body.data.workflows.map((w: { name: string }) => [w.name, w]));
    expect(byName.get(a.name)).toEqual({
      name: a.name,
      latestVersion: 1,
      versions: [{ version: 1, hash: expect.any(String) }],
    });
    expect(byName.get(b.name)).toMatchObject({ latestVersion: 2, versions: [{ version: 2 }, { version: 1 }] });
  });
});

describe('API keys', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('refuses a GraphQL call without an API key with FF_UNAUTHENTICATED', async () => {
    const { status, body } = await cp.graphql('{ workflows { name } }', {}, null);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('FF_UNAUTHENTICATED');
  });

  it('refuses an unknown API key with FF_UNAUTHENTICATED and never echoes the key', async () => {
    const { status, body } = await cp.graphql('{ workflows { name } }', {}, 'Bearer ffk_not-a-real-key');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('FF_UNAUTHENTICATED');
    expect(JSON.stringify(body)).not.toContain('ffk_not-a-real-key');
  });

  it('stores only the hash of a key and records when it was used', async () => {
    await cp.graphql('{ workflows { name } }');
    const keys = await cp.app.flowforge.services.prisma.apiKey.findMany();
    expect(keys.some((k) => k.hash === cp.apiKey || k.prefix === cp.apiKey)).toBe(false);
    await expect
      .poll(
        async () => (await cp.app.flowforge.services.prisma.apiKey.findFirst({ where: { name: 'test' } }))?.lastUsedAt,
      )
      .not.toBeNull();
  });

  it('answers a malformed query with FF_BAD_INPUT', async () => {
    const { body } = await cp.graphql('{ workflows { nonsense } }');
    expect(body.errors?.[0]?.extensions.code).toBe('FF_BAD_INPUT');
  });
});
