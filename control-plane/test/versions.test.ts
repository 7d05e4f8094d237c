import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { helloDefinition, startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * Version history over GraphQL (issue 9): messages and pushers, workflowDiff, archive and unarchive
 * with their refusals and audit events. A control plane on real PostgreSQL and Temporal, no worker.
 */

const PUSH = `mutation ($d: JSON!, $m: String) { pushWorkflow(definition: $d, message: $m) { version hash created } }`;
const VERSIONS = `query ($n: String!) { workflow(name: $n) { archived archivedAt activeVersion versions { version message actor active } } }`;

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(() => cp.close());

async function ok(query: string, variables: Record<string, unknown> = {}) {
  const { body } = await cp.graphql(query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

function scheduled(name: string) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'clock', type: 'trigger.schedule', params: { cron: '0 3 * * *' } },
      { id: 'hook', type: 'trigger.webhook', params: { path: name } },
      { id: 'stamp', type: 'core.set', params: { values: { at: '={{ $json.scheduledAt }}' } } },
    ],
    edges: [
      { from: 'clock', to: 'stamp' },
      { from: 'hook', to: 'stamp' },
    ],
  };
}

describe('versions over GraphQL', () => {
  it('a version keeps its message and who pushed it; an unchanged push stores no new message', async () => {
    const v1 = helloDefinition();
    await ok(PUSH, { d: v1, m: 'first' });
    expect((await ok(PUSH, { d: v1, m: 'again' })).pushWorkflow.created).toBe(false);
    await ok(PUSH, { d: helloDefinition('=Hi', v1.name) });
    const { workflow } = await ok(VERSIONS, { n: v1.name });
    expect(workflow.versions).toEqual([
      { version: 2, message: null, actor: 'api-key:test', active: false },
      { version: 1, message: 'first', actor: 'api-key:test', active: false },
    ]);
    const audit = await cp.app.flowforge.services.prisma.auditEvent.findFirst({
      where: { action: 'workflow.push', target: `workflow:${v1.name}@1` },
    });
    expect(audit?.data).toMatchObject({ message: 'first' });
  });

  it('a message longer than 2000 characters is FF_BAD_INPUT naming the argument', async () => {
    const { body } = await cp.graphql(PUSH, { d: helloDefinition(), m: 'x'.repeat(2001) });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FF_BAD_INPUT', path: ['message'] });
  });

  it('workflowDiff names changed nodes with their param paths, and refuses a version that does not exist', async () => {
    const v1 = helloDefinition();
    await ok(PUSH, { d: v1 });
    await ok(PUSH, { d: helloDefinition('=Hi', v1.name) });
    const query = `query ($n: String!, $a: Int!, $b: Int!) { workflowDiff(name: $n, from: $a, to: $b) {
      nodes { added removed changed { id paths } } edges { added { from to } removed { from to } } settings { changed } } }`;
    expect((await ok(query, { n: v1.name, a: 1, b: 2 })).workflowDiff).toEqual({
      nodes: { added: [], removed: [], changed: [{ id: 'greet', paths: ['params.values.greeting'] }] },
      edges: { added: [], removed: [] },
      settings: { changed: [] },
    });
    const { body } = await cp.graphql(query, { n: v1.name, a: 1, b: 3 });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FF_NOT_FOUND', path: ['to'] });
  });
});

describe('archive over GraphQL', () => {
  it('turns webhook and schedule off, refuses push/activate/startRun, hides it from workflows, and is audited', async () => {
    const name = uniqueName('arch');
    const definition = scheduled(name);
    await ok(PUSH, { d: definition });
    await ok('mutation ($n: String!) { activateWorkflow(name: $n) { activeVersion } }', { n: name });
    const schedules = await ok('{ schedules { workflow } }');
    expect(schedules.schedules.map((s: { workflow: string }) => s.workflow)).toContain(name);

    const archived = await ok(
      'mutation ($n: String!) { archiveWorkflow(name: $n) { workflow archived archivedAt previousVersion } }',
      { n: name },
    );
    expect(archived.archiveWorkflow).toMatchObject({ workflow: name, archived: true, previousVersion: 1 });
    const webhook = await cp.app.inject({ method: 'POST', url: `/webhook/${name}`, payload: {} });
    expect(webhook.statusCode).toBe(404);
    const after = await ok('{ schedules { workflow } }');
    expect(after.schedules.map((s: { workflow: string }) => s.workflow)).not.toContain(name);

    for (const [query, variables] of [
      [PUSH, { d: { ...definition, description: 'changed' } }],
      ['mutation ($n: String!) { activateWorkflow(name: $n) { activeVersion } }', { n: name }],
      ['mutation ($n: String!) { startRun(workflow: $n) { runId } }', { n: name }],
    ] as const) {
      const { body } = await cp.graphql(query, variables);
      expect(body.errors?.[0]?.extensions.code, query).toBe('FF_ARCHIVED');
      expect(body.errors?.[0]?.message).toContain(`workflow "${name}": it was archived at`);
    }

    const { workflow } = await ok(VERSIONS, { n: name });
    expect(workflow).toMatchObject({ archived: true, activeVersion: null, versions: [{ version: 1, active: false }] });
    const names = async (all: boolean) =>
      (await ok('query ($all: Boolean) { workflows(includeArchived: $all) { name archived } }', { all })).workflows.map(
        (w: { name: string }) => w.name,
      );
    expect(await names(false)).not.toContain(name);
    expect(await names(true)).toContain(name);

    await ok('mutation ($n: String!) { unarchiveWorkflow(name: $n) { archived } }', { n: name });
    expect((await ok(PUSH, { d: { ...definition, description: 'changed' } })).pushWorkflow.version).toBe(2);
    const actions = await cp.app.flowforge.services.prisma.auditEvent.findMany({
      where: { target: { startsWith: `workflow:${name}` } },
      orderBy: { at: 'asc' },
      select: { action: true, actor: true },
    });
    expect(actions.map((event) => event.action)).toEqual([
      'workflow.push',
      'workflow.activate',
      'workflow.archive',
      'workflow.unarchive',
      'workflow.push',
    ]);
    expect(new Set(actions.map((event) => event.actor))).toEqual(new Set(['api-key:test']));
  });

  it('archiving twice changes nothing the second time; an unknown workflow is FF_NOT_FOUND', async () => {
    const definition = helloDefinition();
    await ok(PUSH, { d: definition });
    const archive = 'mutation ($n: String!) { archiveWorkflow(name: $n) { archivedAt } }';
    const first = (await ok(archive, { n: definition.name })).archiveWorkflow.archivedAt;
    expect((await ok(archive, { n: definition.name })).archiveWorkflow.archivedAt).toBe(first);
    const count = await cp.app.flowforge.services.prisma.auditEvent.count({
      where: { action: 'workflow.archive', target: `workflow:${definition.name}` },
    });
    expect(count).toBe(1);
    const { body } = await cp.graphql(archive, { n: uniqueName('ghost') });
    expect(body.errors?.[0]?.extensions.code).toBe('FF_NOT_FOUND');
  });
});
