import type { KeyObject } from 'node:crypto';
import { describeIssues, FlowForgeError, type NodeRegistry, validateWorkflow } from '@flowforge/connectors-sdk';
import {
  type RunRequest,
  verifyLinkedRunRequest,
  verifyRunRequest as verifySignature,
} from '@flowforge/connectors-sdk/run-request';
import { ApplicationFailure } from '@temporalio/common';
import type { VerifiedRun, VerifyRunRequestInput } from './contract.ts';
import { type ScheduleRecords, verifyScheduledRun, workerScheduleRecords } from './verify-scheduled-run.ts';

export interface VerifyRunRequestOptions {
  registry: NodeRegistry;
  publicKey: KeyObject;
  /** Recorded with the verified run, so its replays keep the cap it ran with. */
  maxInFlightNodes: number;
  /** Pure nodes run as local activities (recorded with the verified run, like the cap). */
  localPureNodes: boolean;
  /** How a scheduled run is looked up in its Temporal Schedule; default: the worker's own client. */
  scheduleRecords?: ScheduleRecords;
}

/**
 * The `verifyRunRequest` local activity: before any node runs, the request must be signed by the
 * control plane's key, name this run (or, signed for a Temporal Schedule, be a run that schedule
 * started: ./verify-scheduled-run.ts), and hash to the DAG and input it came with; then the DAG
 * must be valid for THIS worker's registry (a worker with fewer node types than the control plane
 * fails the run here, not halfway through). Local: its input never enters history.
 */
export function createVerifyRunRequest(options: VerifyRunRequestOptions) {
  return async function verifyRunRequest(input: VerifyRunRequestInput): Promise<VerifiedRun> {
    try {
      let triggerItem: VerifiedRun['triggerItem'];
      if (input.startedBy) verifyChild(input, options.publicKey);
      else {
        const request = verifySignature(
          input.signed,
          input.dag,
          input.input,
          options.publicKey,
          input.reuse,
          input.linked,
        );
        if (request.trigger.kind === 'schedule') {
          triggerItem = await verifyScheduledRun(request, input, {
            records: options.scheduleRecords ?? workerScheduleRecords,
          });
        } else checkRunId(request, input.workflowId);
      }
      const validation = validateWorkflow(input.dag, options.registry);
      if (!validation.ok) {
        const [first] = validation.issues;
        throw new FlowForgeError(
          first?.code ?? 'FF_VALIDATION',
          `this worker cannot run the workflow: ${describeIssues(validation.issues)}`,
          { issues: validation.issues },
        );
      }
      const defaultTimeouts: Record<string, string> = {};
      const durableWaits: string[] = [];
      const localNodes: string[] = [];
      for (const node of input.dag.nodes) {
        const definition = options.registry.get(node.type);
        if (definition) defaultTimeouts[node.id] = definition.defaultTimeout;
        if (definition?.capabilities?.durableWait) durableWaits.push(node.id);
        // A node with credentials stays a remote activity: the control plane hands a credential only
        // to a pending activity Temporal knows of (local activities are not pending activities).
        if (options.localPureNodes && definition?.capabilities?.pure && !node.credentials) localNodes.push(node.id);
      }
      return {
        defaultTimeouts,
        durableWaits,
        maxInFlight: options.maxInFlightNodes,
        ...(localNodes.length > 0 ? { localNodes } : {}),
        approvalPublicKey: rawPublicKeyHex(options.publicKey),
        ...(triggerItem ? { triggerItem } : {}),
      };
    } catch (error) {
      if (error instanceof FlowForgeError) {
        throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
      }
      throw error;
    }
  };
}

/** A top-level run's request is good for the one run (workflow id) it names. */
function checkRunId(request: RunRequest, workflowId: string): void {
  if (request.runId !== workflowId) {
    throw new FlowForgeError(
      'FF_RUN_SIGNATURE',
      `run request rejected: it was signed for run "${request.runId}", not "${workflowId}"`,
    );
  }
}

/**
 * A child run (core.executeWorkflow, an error workflow): the top-level request must have signed this
 * exact DAG among its linked versions, and the run must really be a child of the run it names.
 * Temporal sets a workflow's parent itself and no client can, and only runDag (code this worker
 * trusts) starts children: so a client with access to Temporal cannot dress up a run as a child.
 */
function verifyChild(input: VerifyRunRequestInput, publicKey: KeyObject): RunRequest {
  const startedBy = input.startedBy as NonNullable<VerifyRunRequestInput['startedBy']>;
  if (input.parentWorkflowId !== startedBy.runId) {
    throw new FlowForgeError(
      'FF_RUN_SIGNATURE',
      `child run request rejected: it names run "${startedBy.runId}" as its parent, but ${
        input.parentWorkflowId ? `its parent is "${input.parentWorkflowId}"` : 'it has no parent run'
      }`,
      { hint: 'child runs are started by core.executeWorkflow or settings.errorWorkflow, never directly' },
    );
  }
  return verifyLinkedRunRequest(input.signed, input.linked, startedBy.key, input.dag, publicKey);
}

/** The raw 32-byte Ed25519 key the workflow's pure-JS verifier takes (a JWK's `x` is exactly that). */
function rawPublicKeyHex(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  return Buffer.from(x ?? '', 'base64url').toString('hex');
}
