import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloDefinition, startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

const PUSH = `mutation ($definition: JSON!) { pushWorkflow(definition: $definition) { workflow version } }`;
const START = `mutation ($workflow: String!) { startRun(workflow: $workflow) { runId status } }`;
const RUN = `query ($id: ID!) { run(id: $id) { runId status workflow { name version } } }`;
const RUNS = `query ($w: String) { runs(workflow: $w) { runId status } }`;

/**
 * Issue 8, "no orphan runs": Temporal is asked first, the Run row is written after. Both failures
 * between the two steps are made real: a Temporal that is not there, and a database that refuses
 * the row (a PostgreSQL trigger that raises on insert into "Run").
 */
describe('starting a run: Temporal first, the Run row after', () => {
  let cp: TestControlPlane;
  let name: string;
  beforeAll(async () => {
    cp = await startTestControlPlane();
    name = helloDefinition().name;
    await cp.graphql(PUSH, { definition: helloDefinition(undefined, name) });
  });
  afterAll(() => cp.close());

  it('a run Temporal never accepted is never shown: FF_UNAVAILABLE and no row, RUNNING or FAILED', async () => {
    // The same database, with a control plane whose Temporal is a closed port.
    const down = await startTestControlPlane({ databaseUrl: cp.databaseUrl, temporalAddress: '127.0.0.1:1' });
    try {
      const { body } = await down.graphql(START, { workflow: name });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FF_UNAVAILABLE', retryable: true });
      expect(body.errors?.[0]?.extensions.hint).toMatch(/nothing was started/);
    } finally {
      await down.close();
    }
    expect(await cp.app.flowforge.services.prisma.run.count()).toBe(0);
  });

  it('a run Temporal accepted whose row could not be written still starts, and is recorded when next met', async () => {
    const prisma = cp.app.flowforge.services.prisma;
    try {
      await prisma.$executeRawUnsafe(
        `CREATE FUNCTION refuse_run() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no rows today'; END $$ LANGUAGE plpgsql`,
      );
      await prisma.$executeRawUnsafe(
        'CREATE TRIGGER refuse_run BEFORE INSERT ON "Run" FOR EACH ROW EXECUTE FUNCTION refuse_run()',
      );
      const { body } = await cp.graphql(START, { workflow: name });
      expect(body.errors).toBeUndefined();
      const { runId } = body.data.startRun;
      expect(await prisma.run.findUnique({ where: { id: runId } })).toBeNull();
      // Temporal has it: the run goes on whatever happened to its row.
      const description = await cp.app.flowforge.services.temporal.workflow.getHandle(runId).describe();
      expect(description.status.name).toBe('RUNNING');

      await prisma.$executeRawUnsafe('DROP TRIGGER refuse_run ON "Run"');
      // Listing runs meets it in Temporal's visibility, which may take a moment to show a new run.
      await expect
        .poll(
          async () => (await cp.graphql(RUNS, { w: name })).body.data.runs.map((run: { runId: string }) => run.runId),
          {
            timeout: 20_000,
            interval: 500,
          },
        )
        .toContain(runId);
      const view = (await cp.graphql(RUN, { id: runId })).body.data.run;
      expect(view).toMatchObject({ runId, status: 'RUNNING', workflow: { name, version: 1 } });
      const row = await prisma.run.findUnique({ where: { id: runId } });
      expect(row).toMatchObject({ status: 'RUNNING', trigger: { kind: 'manual', by: 'api-key:test' } });
      const audit = await prisma.auditEvent.findMany({ where: { target: `run:${runId}`, action: 'run.start' } });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'api-key:test', data: expect.objectContaining({ recordedLate: true }) });
    } finally {
      await prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS refuse_run ON "Run"');
    }
  });

  it('a run of the same id found twice is recorded once (the row and its audit event)', async () => {
    const { body } = await cp.graphql(START, { workflow: name });
    const { runId } = body.data.startRun;
    await Promise.all([cp.graphql(RUN, { id: runId }), cp.graphql(RUN, { id: runId })]);
    const prisma = cp.app.flowforge.services.prisma;
    expect(await prisma.auditEvent.count({ where: { target: `run:${runId}`, action: 'run.start' } })).toBe(1);
  });
});
