import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { type DescriptorRegistry, FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import {
  type ReuseMap,
  RUN_DAG_WORKFLOW,
  type RunDagInput,
  runDagStartOptions,
} from '@flowforge/connectors-sdk/contract';
import { contentHash, type RunRequest, signRunRequest, type Trigger } from '@flowforge/connectors-sdk/run-request';
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import { checkRunCredentials } from '../credentials/run-credentials.ts';
import type { PrismaClient } from '../database.ts';
import type { WorkflowVersion } from '../generated/prisma/client.ts';
import { startRegistry } from '../node-types/queue-registry.ts';
import type { WorkerNodeTypes } from '../node-types/worker-node-types.ts';
import { refuseIfArchived } from '../workflows/archived-guard.ts';
import { resolveLinkedWorkflows } from './linked-workflows.ts';
import { recordRun } from './unseen-runs.ts';
import { lookupVersion } from './workflow-versions.ts';

export interface StartRunDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
  registry: DescriptorRegistry;
  nodeTypes: WorkerNodeTypes;
  log?: Pick<FastifyBaseLogger, 'warn'>;
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
  /**
   * Write the Run row and audit event after returning (webhooks: the caller's answer does not wait
   * for the database). The run is safe either way: a row not written yet is written when met.
   */
  recordInBackground?: boolean;
}

/** What a start hands to Temporal: the run's id, `runDag`'s input and the start options. */
export interface RunStart {
  runId: string;
  runInput: RunDagInput;
  options: Omit<WorkflowStartOptions, 'args'>;
}

/**
 * How the run is started on Temporal: `workflow.start` by default; a webhook answered by its run
 * starts it with an update (update-with-start). It resolves once Temporal has the run and rejects
 * when it does not.
 */
export type Starter = (start: RunStart) => Promise<void>;

/**
 * Signs and starts a run of a stored version: what manual runs and retries (runs/run-control.ts)
 * share. Temporal is asked first and the Run row written after: a run Temporal never accepted is
 * never shown (no RUNNING or FAILED ghost), and a run it accepted is never lost. Should the row or
 * its audit event not be written (the database fails, or this process dies right then), the run
 * still goes on and the control plane records both the first time it meets the run's id
 * (runs/unseen-runs.ts: its view, `runs`, approvals).
 */
export async function launchRun(
  deps: StartRunDeps,
  args: LaunchRunInput,
  actor: string,
  start?: Starter,
): Promise<StartedRun> {
  const { version, input, trigger, reuse } = args;
  const dag = version.definition as unknown as WorkflowDefinition;
  const linked = await resolveLinkedWorkflows({ ...deps, registry: await startRegistry(deps, dag) }, dag);
  await checkRunCredentials(deps, dag, linked);
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
  const runInput: RunDagInput = {
    signed: signRunRequest(request, deps.signingKey),
    dag,
    input,
    workflow,
    ...(reuse ? { reuse } : {}),
    ...(linked ? { linked } : {}),
  };
  // The settings' timeout was validated as a duration; runDagStartOptions types it as a plain string.
  const options = runDagStartOptions({
    runId,
    workflow,
    settings: dag.settings ?? {},
    taskQueue: deps.taskQueue,
  }) as Omit<WorkflowStartOptions, 'args'>;
  try {
    if (start) await start({ runId, runInput, options });
    else await deps.temporal.workflow.start(RUN_DAG_WORKFLOW, { args: [runInput], ...options });
  } catch (cause) {
    if (cause instanceof FlowForgeError) throw cause;
    throw new FlowForgeError('FF_UNAVAILABLE', `Temporal did not accept the run: ${(cause as Error).message}`, {
      cause,
      hint: 'nothing was started; check that Temporal is running (GET /healthz names what is down), then try again',
    });
  }
  const startedAt = new Date();
  const recorded = recordRun(
    deps,
    { runId, versionId: version.id, trigger, inputHash: request.inputHash, startedAt },
    actor,
    {
      workflow: workflow.name,
      version: workflow.version,
      inputHash: request.inputHash,
      trigger,
      ...(linked ? { linked: Object.keys(linked) } : {}),
    },
  ).catch((error: unknown) => {
    // The run is in Temporal and goes on; its row is written when the control plane next meets it.
    deps.log?.warn({ err: error, runId }, 'run started, but its Run row was not written yet');
  });
  if (!args.recordInBackground) await recorded;
  return { runId, workflow, startedAt };
}

async function findVersion(deps: StartRunDeps, name: string, version: number | undefined) {
  const { found, versions, wanted, archivedAt } = await lookupVersion(deps.prisma, deps.projectId, name, version);
  refuseIfArchived({ name, archivedAt }, 'run');
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
