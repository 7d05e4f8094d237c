import {
  type CredentialTypeRegistry,
  FlowForgeError,
  isFlowForgeError,
  type NodeRegistry,
  type PortItems,
  serializeError,
} from '@flowforge/connectors-sdk';
import { type ArtifactStore, loadRunInput } from '@flowforge/connectors-sdk/artifacts';
import { type NodeRunRequest, runNode } from '@flowforge/connectors-sdk/runtime';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { checkInOutputs, checkOutInputs, checkOutPorts, checkOutputDepth } from '../artifacts/claim-check.ts';
import type { CredentialFetcher } from '../credentials/credential-channel.ts';
import type { ExecuteNodeInput, ExecuteNodeResult, NodeFailureDetails, NodeHeartbeat } from './contract.ts';

export interface ExecuteNodeOptions {
  registry: NodeRegistry;
  store: ArtifactStore;
  claimCheckBytes: number;
  /** How often a running node heartbeats, so cancellation and worker loss are seen quickly. */
  heartbeatEveryMs: number;
  /** Asks the control plane for a credential value; absent: nodes that need one fail with FF_CONFIG. */
  credentials?: CredentialFetcher | undefined;
  /** Which fields of each credential type are secret (scrubbed from what nodes give back). */
  credentialTypes?: CredentialTypeRegistry;
}

/**
 * The `executeNode` activity: one call per node execution. Loads stored inputs, runs the node
 * with the connectors-sdk runtime, stores outputs over the claim-check threshold, and turns a
 * FlowForgeError into an ApplicationFailure whose type is the error code and whose retryability
 * is the error's (so Temporal's retry policy never retries a wrong parameter).
 */
export function createExecuteNode(options: ExecuteNodeOptions) {
  return async function executeNode(input: ExecuteNodeInput): Promise<ExecuteNodeResult> {
    const context = Context.current();
    const { attempt } = context.info;
    const beat: NodeHeartbeat = { attempt };
    const heartbeat = setInterval(() => context.heartbeat(beat), options.heartbeatEveryMs);
    try {
      const definition = nodeDefinition(options.registry, input.node);
      const [inputs, nodeOutputs, runInput] = await Promise.all([
        checkOutInputs(input.inputs, options.store),
        loadNodeOutputs(input.nodeOutputs, options.store),
        loadRunInput(input.run.input, options.store),
      ]);
      const running = runNode(definition, {
        nodeId: input.node.id,
        rawParams: input.node.params,
        inputs,
        nodeOutputs,
        run: { id: input.run.id, workflow: input.run.workflow, input: runInput },
        // Stable across retries of this node in this run: what a node passes on to make its side effects idempotent.
        // A loop's body runs once per batch: each iteration after the first gets its own key.
        idempotencyKey: idempotencyKey(input),
        signal: context.cancellationSignal,
        heartbeat: (details) => context.heartbeat({ ...beat, details }),
        ...credentialAccess(options, input, context.info),
      });
      // A node that ignores its abort signal must not keep a cancelled run's activity alive.
      const result = await Promise.race([running, context.cancelled]);
      checkOutputDepth(result.outputs, input.node.id);
      const outputs = await checkInOutputs(result.outputs, {
        store: options.store,
        thresholdBytes: options.claimCheckBytes,
        prefix: `${safeSegment(input.run.id)}/${safeSegment(input.node.id)}`,
      });
      return { outputs, ...(result.effect ? { effect: result.effect } : {}), attempt, nodeId: input.node.id };
    } catch (error) {
      throw toFailure(error, input, attempt);
    } finally {
      clearInterval(heartbeat);
    }
  };
}

/** The node's definition in this worker's registry; FF_UNKNOWN_NODE_TYPE when it has none. */
export function nodeDefinition(registry: NodeRegistry, node: Pick<ExecuteNodeInput['node'], 'id' | 'type'>) {
  const definition = registry.get(node.type);
  if (!definition) {
    throw new FlowForgeError('FF_UNKNOWN_NODE_TYPE', `node "${node.id}": this worker has no node type "${node.type}"`, {
      hint: 'run the workflow on a task queue whose workers have this node type',
    });
  }
  return definition;
}

/**
 * What the node may ask for: the names its slots hold, and a fetch that tells the control plane
 * which Temporal execution and activity asks (the control plane checks both with Temporal).
 */
function credentialAccess(
  options: ExecuteNodeOptions,
  input: ExecuteNodeInput,
  info: Context['info'],
): Pick<NodeRunRequest, 'credentials' | 'resolveCredential' | 'credentialTypes'> {
  const fetchCredential = options.credentials;
  if (!input.node.credentials) return {};
  return {
    credentials: input.node.credentials,
    ...(options.credentialTypes ? { credentialTypes: options.credentialTypes } : {}),
    ...(fetchCredential
      ? {
          resolveCredential: (slot: string) =>
            fetchCredential({
              workflowId: info.workflowExecution?.workflowId ?? input.run.id,
              executionRunId: info.workflowExecution?.runId ?? '',
              activityId: info.activityId,
              nodeId: input.node.id,
              slot,
            }),
        }
      : {}),
  };
}

/** `run:node` as before loops existed (iteration 0 and every node outside a loop), `run:node:iteration` after. */
export function idempotencyKey(input: Pick<ExecuteNodeInput, 'run' | 'node'>): string {
  const { iteration } = input.run;
  return iteration ? `${input.run.id}:${input.node.id}:${iteration}` : `${input.run.id}:${input.node.id}`;
}

async function loadNodeOutputs(
  nodeOutputs: ExecuteNodeInput['nodeOutputs'],
  store: ArtifactStore,
): Promise<Record<string, PortItems>> {
  const entries = await Promise.all(
    Object.entries(nodeOutputs).map(async ([id, ports]) => [id, await checkOutPorts(ports, store)] as const),
  );
  return Object.fromEntries(entries);
}

export function toFailure(error: unknown, input: Pick<ExecuteNodeInput, 'node'>, attempt: number): unknown {
  if (error instanceof CancelledFailure) return error;
  const flowForgeError = isFlowForgeError(error)
    ? error
    : // A plain Error from node code is a bug or an unforeseen failure of the world: retry it as
      // the node's retry policy allows, and say which node threw it.
      new FlowForgeError(
        'FF_INTERNAL',
        `node "${input.node.id}" (${input.node.type}) failed: ${error instanceof Error ? error.message : String(error)}`,
        { retryable: true, cause: error },
      );
  const details: NodeFailureDetails = { error: serializeError(flowForgeError), attempt, nodeId: input.node.id };
  return ApplicationFailure.create({
    type: flowForgeError.code,
    message: flowForgeError.message,
    nonRetryable: !flowForgeError.retryable,
    details: [details],
  });
}

/** Run and node ids become artefact key segments: keep them to the key alphabet. */
export function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}
