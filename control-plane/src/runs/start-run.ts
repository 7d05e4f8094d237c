import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import { contentHash, type RunRequest, signRunRequest, type Trigger } from '@flowforge/connectors-sdk/run-request';
import { type ReuseMap, RUN_DAG_WORKFLOW, type RunDagInput } from '@flowforge/workers/run-state';
import { runDagStartOptions } from '@flowforge/workers/start-options';
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';
import type { WorkflowVersion } from '../generated/prisma/client.ts';
import { resolveLinkedWorkflows } from './linked-workflows.ts';
import { lookupVersion } from './workflow-versions.ts';

export interface StartRunDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
}

export interface StartRunInput {
  workflow: string;
  /** Latest when omitted. */
  version?: number | null | undefined;
  input?: unknown;
}

export interface StartedRun {
  runId: string;
  workflow: { name: string; version: number };
  startedAt: Date;
}

/**
 * Starts a manual run: records the Run projection and an audit event, signs a RunRequest that
 * binds the run id, the version's DAG hash and the input hash, and starts `runDag` with it.
 * The worker refuses anything this key did not sign.
 */
export async function startRun(deps: StartRunDeps, args: StartRunInput, actor: string): Promise<StartedRun> {
  const version = await findVersion(deps, args.workflow, args.version ?? undefined);
  // A manual run without input starts from one empty item, as n8n's manual trigger does.
  const input = args.input ?? {};
  return launchRun(deps, { workflow: args.workflow, version, input, trigger: { kind: 'manual', by: actor } }, actor);
}

export interface LaunchRunInput {
  workflow: string;
  version: WorkflowVersion;
  input: unknown;
  trigger: Trigger;
  /** A retry's reused node outputs: signed with the request (reuseHash). */
  reuse?: ReuseMap | undefined;
}

/** Signs and starts a run of a stored version: what manual runs and retries (runs/run-control.ts) share. */
export async function launchRun(deps: StartRunDeps, args: LaunchRunInput, actor: string): Promise<StartedRun> {
  const { version, input, trigger, reuse } = args;
  const dag = version.definition as unknown as WorkflowDefinition;
  const linked = await resolveLinkedWorkflows(deps.prisma, deps.projectId, dag);
  const runId = `run-${randomUUID()}`;
  const request: RunRequest = {
    runId,
    versionId: version.id,
    dagHash: version.hash,
    inputHash: contentHash(input),
    trigger,
    issuedAt: new Date().toISOString(),
    ...(reuse ? { reuseHash: contentHash(reuse) } : {}),
    ...(linked ? { linkedHash: contentHash(linked) } : {}),
  };
  const workflow = { name: args.workflow, version: version.version };
  const run = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.run.create({
      data: { id: runId, versionId: version.id, status: 'RUNNING', trigger, inputHash: request.inputHash },
    });
    await recordAudit(tx, {
      actor,
      action: 'run.start',
      target: `run:${runId}`,
      data: {
        workflow: workflow.name,
        version: workflow.version,
        inputHash: request.inputHash,
        trigger,
        ...(linked ? { linked: Object.keys(linked) } : {}),
      },
    });
    return created;
  });
  const runInput: RunDagInput = {
    signed: signRunRequest(request, deps.signingKey),
    dag,
    input,
    workflow,
    ...(reuse ? { reuse } : {}),
    ...(linked ? { linked } : {}),
  };
  try {
    await deps.temporal.workflow.start(RUN_DAG_WORKFLOW, {
      args: [runInput],
      // The settings' timeout was validated as a duration; runDagStartOptions types it as a plain string.
      ...(runDagStartOptions({ runId, workflow, settings: dag.settings ?? {}, taskQueue: deps.taskQueue }) as Omit<
        WorkflowStartOptions,
        'args'
      >),
    });
  } catch (cause) {
    await deps.prisma.run.update({ where: { id: runId }, data: { status: 'FAILED', finishedAt: new Date() } });
    throw new FlowForgeError('FF_UNAVAILABLE', `Temporal did not accept run ${runId}: ${(cause as Error).message}`, {
      cause,
      hint: 'check that Temporal is running (GET /healthz names what is down)',
    });
  }
  return { runId, workflow, startedAt: run.startedAt };
}

async function findVersion(deps: StartRunDeps, name: string, version: number | undefined) {
  const { found, versions, wanted } = await lookupVersion(deps.prisma, deps.projectId, name, version);
  if (versions.length === 0) {
    throw new FlowForgeError('FF_NOT_FOUND', `no workflow named "${name}"`, {
      path: ['workflow'],
      hint: `push it first: flowforge workflow push <file.json> (flowforge workflow list shows what exists)`,
    });
  }
  if (!found) {
    throw new FlowForgeError('FF_NOT_FOUND', `workflow "${name}" has no version ${wanted}`, {
      path: ['version'],
      hint: `its versions are ${versions.join(', ')}; leave the version out to run the latest`,
    });
  }
  return found;
}
