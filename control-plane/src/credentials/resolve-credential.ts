import { createPublicKey } from 'node:crypto';
import { type DescriptorRegistry, FlowForgeError, type WorkflowDefinition } from '@flowforge/connectors-sdk';
import {
  type CredentialResolveRequest,
  type CredentialResolveResponse,
  EXECUTE_NODE_ACTIVITY,
  RUN_DAG_WORKFLOW,
  type RunDagInput,
} from '@flowforge/connectors-sdk/contract';
import { type RunRequest, verifyLinkedRunRequest, verifyRunRequest } from '@flowforge/connectors-sdk/run-request';
import type { WorkflowExecutionDescription } from '@temporalio/client';
// CommonJS: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { recordAudit } from '../audit.ts';
import type { ControlPlaneServices } from '../graphql/context.ts';
import { runDagStartOf } from '../runs/unseen-runs.ts';

const STARTED = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

/**
 * The control plane's end of the resolution channel: answers a credential value only when every one
 * of these holds, each checked against Temporal or the control plane's own data, never against what
 * the worker says (the worker token was checked before, resolve-route.ts):
 *
 * 1. Temporal shows that execution of that workflow id RUNNING, as `runDag` on this control plane's
 *    task queue, with the `executeNode` activity of that id STARTED (a worker holds it now) for the node;
 * 2. the execution's own start input (its first history event, not a copy from the worker) carries a
 *    run request signed by this control plane's key, whose hashes match its DAG, input, reuse map and
 *    linked versions, and which names this run; a child run's request is the top-level run's: its DAG
 *    must be the linked version its `startedBy` names, its parent must be the run `startedBy` names,
 *    and the root of its tree must be the signed top-level run;
 * 3. the node of that DAG names a credential in that slot, the slot is its type's, and the stored
 *    credential (of the signed version's project) exists with the slot's type.
 *
 * Every answer is an audit event `credential.resolve` (run, node, slot; no value).
 */
export async function resolveCredential(
  services: ControlPlaneServices,
  request: CredentialResolveRequest,
): Promise<CredentialResolveResponse> {
  const { workflowId, executionRunId, nodeId, slot } = request;
  const where = `run "${workflowId}" node "${nodeId}" slot "${slot}"`;
  const description = await runningExecution(services, request, where);
  const start = await runDagStartOf(services.temporal, workflowId, executionRunId).catch(() => {
    throw refuse(`${where}: Temporal has no start event for execution ${executionRunId}`);
  });
  const signed = verifiedRequest(services, start.raw, description, where);
  const dag = start.input.dag as WorkflowDefinition;
  const { name, type } = slotCredential(services.registry, dag, nodeId, slot, where);
  const projectId = await projectOf(services, signed, where);
  const row = await services.prisma.credential.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) {
    throw new FlowForgeError('FF_NOT_FOUND', `${where}: credential "${name}" does not exist (any more)`, {
      hint: `set it again: flowforge credentials set ${name} --type ${type}`,
    });
  }
  if (row.type !== type) {
    throw refuse(`${where}: credential "${name}" is ${row.type}, but the slot takes ${type}`);
  }
  const value = await services.credentials.backend.load(row);
  await recordAudit(services.prisma, {
    actor: 'worker',
    action: 'credential.resolve',
    target: `credential:${name}`,
    data: { runId: workflowId, executionRunId, nodeId, slot, activityId: request.activityId },
  });
  return { name, type, value };
}

async function runningExecution(
  services: ControlPlaneServices,
  request: CredentialResolveRequest,
  where: string,
): Promise<WorkflowExecutionDescription> {
  let description: WorkflowExecutionDescription;
  try {
    description = await services.temporal.workflow.getHandle(request.workflowId, request.executionRunId).describe();
  } catch {
    throw refuse(`${where}: Temporal knows no execution ${request.executionRunId} of it`);
  }
  if (description.type !== RUN_DAG_WORKFLOW || description.taskQueue !== services.taskQueue) {
    throw refuse(`${where}: it is not a ${RUN_DAG_WORKFLOW} run on task queue ${services.taskQueue}`);
  }
  if (description.status.name !== 'RUNNING') {
    throw refuse(`${where}: the run is ${description.status.name}, not RUNNING`);
  }
  if (!activityOfNode(request.activityId, request.nodeId)) {
    throw refuse(`${where}: activity "${request.activityId}" is not node "${request.nodeId}"`);
  }
  const running = (description.raw.pendingActivities ?? []).some(
    (activity) =>
      activity.activityId === request.activityId &&
      activity.activityType?.name === EXECUTE_NODE_ACTIVITY &&
      activity.state === STARTED,
  );
  if (!running)
    throw refuse(
      `${where}: the node is not running (no started ${EXECUTE_NODE_ACTIVITY} activity "${request.activityId}")`,
    );
  return description;
}

/** executeNode's activity id is the node id, or `<node>:<iteration>` in a loop body (workers/src/workflows/node-activity.ts). */
function activityOfNode(activityId: string, nodeId: string): boolean {
  return (
    activityId === nodeId || (activityId.startsWith(`${nodeId}:`) && /^\d+$/.test(activityId.slice(nodeId.length + 1)))
  );
}

function verifiedRequest(
  services: ControlPlaneServices,
  input: RunDagInput,
  description: WorkflowExecutionDescription,
  where: string,
): RunRequest {
  const publicKey = createPublicKey(services.signingKey);
  try {
    const startedBy = input.startedBy;
    if (!startedBy) {
      const request = verifyRunRequest(input.signed, input.dag, input.input, publicKey, input.reuse, input.linked);
      if (request.runId !== description.workflowId)
        throw refuse(`${where}: its request was signed for run "${request.runId}"`);
      return request;
    }
    if (description.parentExecution?.workflowId !== startedBy.runId) {
      throw refuse(`${where}: it names run "${startedBy.runId}" as its parent, which Temporal does not`);
    }
    const request = verifyLinkedRunRequest(input.signed, input.linked, startedBy.key, input.dag, publicKey);
    // Temporal sets the root of a tree of child runs; it must be the run the control plane signed.
    if (description.rootExecution && description.rootExecution.workflowId !== request.runId) {
      throw refuse(`${where}: its tree of runs does not start at the signed run "${request.runId}"`);
    }
    return request;
  } catch (error) {
    if (error instanceof FlowForgeError && error.code === 'FF_RUN_SIGNATURE')
      throw refuse(`${where}: ${error.message}`);
    throw error;
  }
}

function slotCredential(
  registry: DescriptorRegistry,
  dag: WorkflowDefinition,
  nodeId: string,
  slot: string,
  where: string,
): { name: string; type: string } {
  const node = dag.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) throw refuse(`${where}: the signed workflow has no node "${nodeId}"`);
  const name = node.credentials && Object.hasOwn(node.credentials, slot) ? node.credentials[slot] : undefined;
  if (name === undefined) throw refuse(`${where}: the node names no credential in slot "${slot}"`);
  const declared = registry.get(node.type)?.credentials?.find((candidate) => candidate.name === slot);
  if (!declared) throw refuse(`${where}: node type ${node.type} has no credential slot "${slot}"`);
  return { name, type: declared.type };
}

/** Credentials are project-scoped: the project of the signed version. */
async function projectOf(services: ControlPlaneServices, request: RunRequest, where: string): Promise<string> {
  const version = await services.prisma.workflowVersion.findUnique({
    where: { id: request.versionId },
    select: { workflow: { select: { projectId: true } } },
  });
  if (!version) throw refuse(`${where}: its signed version ${request.versionId} is not in this control plane`);
  return version.workflow.projectId;
}

function refuse(message: string): FlowForgeError {
  return new FlowForgeError('FF_FORBIDDEN', `credential refused: ${message}`, {
    hint: 'credentials are answered only to the node of a running run that names them',
  });
}
