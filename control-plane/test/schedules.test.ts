import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }';
const ACTIVATE = 'mutation ($n: String!) { activateWorkflow(name: $n) { activeVersion schedules } }';
const SCHEDULES = 'query ($w: String) { schedules(workflow: $w) { workflow version nodeId scheduleId paused } }';
const WORKFLOW = 'query ($n: String!) { workflow(name: $n) { activeVersion } }';

function scheduled(name: string, every: string) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'clock', type: 'trigger.schedule', params: { every } },
      { id: 'noop', type: 'core.noop' },
    ],
    edges: [{ from: 'clock', to: 'noop' }],
  };
}

/** Activation and its Temporal Schedules (no worker: nothing here runs). */
describe('schedule triggers at activation', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('a paused schedule stays paused when another version is activated, and then starts that version', async () => {
    const name = uniqueName('paused-switch');
    await cp.graphql(PUSH, { d: scheduled(name, '1h') });
    await cp.graphql(ACTIVATE, { n: name });
    await cp.graphql('mutation ($w: String!) { pauseSchedule(workflow: $w) { paused } }', { w: name });
    await cp.graphql(PUSH, { d: scheduled(name, '2h') });
    const { body } = await cp.graphql(ACTIVATE, { n: name });
    expect(body.data.activateWorkflow).toMatchObject({
      activeVersion: 2,
      schedules: [{ nodeId: 'clock', every: '2h' }],
    });
    const listed = await cp.graphql(SCHEDULES, { w: name });
    expect(listed.body.data.schedules).toEqual([expect.objectContaining({ version: 2, paused: true })]);
    const described = await cp.app.flowforge.services.temporal.schedule
      .getHandle(listed.body.data.schedules[0].scheduleId)
      .describe();
    expect(described.spec.intervals).toMatchObject([{ every: 7_200_000 }]);
    await cp.graphql('mutation ($n: String!) { deactivateWorkflow(name: $n) { activeVersion } }', { n: name });
  });

  it('Temporal down: the activation is refused with FF_UNAVAILABLE and the workflow stays inactive', async () => {
    const name = uniqueName('no-temporal');
    await cp.graphql(PUSH, { d: scheduled(name, '1h') });
    // The same database, with a control plane whose Temporal is a closed port.
    const down = await startTestControlPlane({ databaseUrl: cp.databaseUrl, temporalAddress: '127.0.0.1:1' });
    try {
      const { body } = await down.graphql(ACTIVATE, { n: name });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FF_UNAVAILABLE' });
      expect(body.errors?.[0]?.message).toMatch(/Temporal did not take the schedules of/);
    } finally {
      await down.close();
    }
    expect((await cp.graphql(WORKFLOW, { n: name })).body.data.workflow.activeVersion).toBeNull();
    expect((await cp.graphql(SCHEDULES, { w: name })).body.data.schedules).toEqual([]);
  });
});
