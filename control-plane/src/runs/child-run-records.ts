import { contentHash } from '@flowforge/connectors-sdk/run-request';
import type { RunDagInput } from '@flowforge/workers/run-state';
import type { Client } from '@temporalio/client';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';

export interface ChildRunRecordDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
}

/**
 * The `runDag` input a run started with, from the first event of its latest execution
 * (continue-as-new passes the same input on). Throws when Temporal cannot say.
 */
export async function runDagInputOf(client: Client, runId: string): Promise<RunDagInput> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: runId },
    maximumPageSize: 1,
  });
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error('its history has no start event');
  return client.options.loadedDataConverter.payloadConverter.fromPayload<RunDagInput>(payload);
}

/**
 * Child runs (core.executeWorkflow) and error runs are started by a run's workflow, not through
 * the control plane, so they have no Run row until the control plane first meets their id (their
 * parent's run view, `run(id)`, approvals, `runs`). Then the row and a `run.start` audit event are
 * written from what the run carries in Temporal. Ids of runs that are not FlowForge child runs of
 * this project are ignored. Returns the ids recorded now.
 */
export async function recordChildRuns(deps: ChildRunRecordDeps, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await deps.prisma.run.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  const known = new Set(rows.map((run) => run.id));
  const missing = ids.filter((id) => !known.has(id));
  const recorded: string[] = [];
  for (const runId of missing) {
    if (await recordChildRun(deps, runId)) recorded.push(runId);
  }
  return recorded;
}

/**
 * A run's row with its version and workflow; a child run not recorded yet is recorded first.
 * Undefined when the control plane has no such run (callers check the project).
 */
export async function findRun(deps: ChildRunRecordDeps, runId: string) {
  const find = () =>
    deps.prisma.run.findUnique({ where: { id: runId }, include: { version: { include: { workflow: true } } } });
  const run = await find();
  if (run) return run;
  return (await recordChildRuns(deps, [runId])).length > 0 ? ((await find()) ?? undefined) : undefined;
}

async function recordChildRun(deps: ChildRunRecordDeps, runId: string): Promise<boolean> {
  let input: RunDagInput;
  try {
    input = await runDagInputOf(deps.temporal, runId);
  } catch {
    return false;
  }
  const startedBy = input.startedBy;
  if (!startedBy || !input.workflow) return false;
  const version = await deps.prisma.workflowVersion.findFirst({
    where: { version: input.workflow.version, workflow: { projectId: deps.projectId, name: input.workflow.name } },
  });
  if (!version) return false;
  const trigger = {
    kind: startedBy.kind,
    parentRun: startedBy.runId,
    ...(startedBy.nodeId ? { by: `node:${startedBy.nodeId}` } : {}),
  };
  const inputHash = contentHash(input.input ?? null);
  await deps.prisma.$transaction(async (tx) => {
    // Two views may see the same child at once: the first row wins, the second writes nothing.
    const created = await tx.run.createMany({
      data: [{ id: runId, versionId: version.id, status: 'RUNNING', trigger, inputHash }],
      skipDuplicates: true,
    });
    if (created.count === 0) return;
    await recordAudit(tx, {
      actor: `run:${startedBy.runId}`,
      action: 'run.start',
      target: `run:${runId}`,
      data: { workflow: input.workflow.name, version: input.workflow.version, inputHash, trigger },
    });
  });
  return true;
}
