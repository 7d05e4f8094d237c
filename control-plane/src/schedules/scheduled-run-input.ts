import type { KeyObject } from 'node:crypto';
import type { DescriptorRegistry, WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { RunDagInput } from '@flowforge/connectors-sdk/contract';
import { contentHash, type RunRequest, signRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { PrismaClient } from '../database.ts';
import { resolveLinkedWorkflows } from '../runs/linked-workflows.ts';
import type { ActivatedVersion, ScheduleTrigger } from '../workflows/activation.ts';
import { scheduledRunPrefixOf, scheduleIdOf } from './schedule-ids.ts';

export interface ScheduledRunInputDeps {
  prisma: PrismaClient;
  projectId: string;
  registry: DescriptorRegistry;
  signingKey: KeyObject;
}

/**
 * The one `runDag` input every run of a schedule starts with (a Schedule's action arguments are
 * fixed): a request signed for the schedule and the version, whose runId is the action's workflow
 * id and whose trigger names the schedule. The input is null: the worker gives the trigger its item
 * ({ scheduledAt, firedAt, timezone }) from Temporal's record of each run. Linked versions
 * (core.executeWorkflow targets without a version) are resolved now, at activation.
 */
export async function scheduledRunInput(
  deps: ScheduledRunInputDeps,
  workflow: string,
  version: ActivatedVersion,
  trigger: ScheduleTrigger,
): Promise<RunDagInput> {
  const dag: WorkflowDefinition = version.definition;
  const linked = await resolveLinkedWorkflows(deps, dag);
  const scheduleId = scheduleIdOf(deps.projectId, workflow, trigger.nodeId);
  const input = null;
  const request: RunRequest = {
    runId: scheduledRunPrefixOf(deps.projectId, workflow, trigger.nodeId, version.version),
    versionId: version.id,
    dagHash: version.hash,
    inputHash: contentHash(input),
    trigger: {
      kind: 'schedule',
      by: `schedule:${scheduleId}`,
      schedule: { id: scheduleId, nodeId: trigger.nodeId, timezone: trigger.timezone },
    },
    issuedAt: new Date().toISOString(),
    ...(linked ? { linkedHash: contentHash(linked) } : {}),
  };
  return {
    signed: signRunRequest(request, deps.signingKey),
    dag,
    input,
    workflow: { name: workflow, version: version.version },
    ...(linked ? { linked } : {}),
  };
}
