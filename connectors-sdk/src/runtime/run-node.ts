import type { CredentialTypeRegistry } from '../define-credential.ts';
import type { AnyNodeDefinition, RunInfo } from '../define-node.ts';
import type { PortItems } from '../items.ts';
import type { NodeEffect } from '../node-effect.ts';
import { SecretScrubber } from '../secret-scrubber.ts';
import { runCode } from './code-runner.ts';
import { createNodeContext } from './node-context.ts';
import { prepareNodeParams } from './node-params.ts';
import { normaliseOutputs } from './normalise-outputs.ts';

/** Everything one execution of a node needs; the worker and the test harness both build this. */
export interface NodeRunRequest {
  nodeId: string;
  /** Parameters as written in the workflow file: expressions not yet evaluated. */
  rawParams: Record<string, unknown>;
  /** Items per input port. */
  inputs: PortItems;
  /** Outputs of earlier nodes that the parameters reference with `$('id')`. */
  nodeOutputs: Record<string, PortItems>;
  run: RunInfo;
  idempotencyKey: string;
  signal?: AbortSignal;
  heartbeat?: (details?: unknown) => void;
  /** The credentials the node names, by slot (names only: the workflow file's `credentials`). */
  credentials?: Record<string, string>;
  /** Fetches the value of the credential the node names in `slot` (the worker asks the control plane). */
  resolveCredential?: (slot: string) => Promise<unknown>;
  /** Which fields of a credential type are secret; unknown types: every string field. */
  credentialTypes?: CredentialTypeRegistry;
}

export interface NodeRunResult {
  outputs: PortItems;
  /** Set when the node asked the run for a durable wait or a child run. */
  effect?: NodeEffect;
}

/**
 * Runs one node: evaluates expression parameters per item in the sandbox, validates them with
 * the node's zod schema, calls `execute`. Throws FlowForgeError (FF_EXPRESSION,
 * FF_INVALID_PARAMS, FF_SANDBOX, ...) with the node, parameter path and expression in the message.
 */
export async function runNode(definition: AnyNodeDefinition, request: NodeRunRequest): Promise<NodeRunResult> {
  const scrubber = new SecretScrubber();
  try {
    const params = await prepareNodeParams(definition, request);
    const { context, effect } = createNodeContext({
      request,
      params,
      runCode: (code, options) =>
        runCode({
          nodeId: request.nodeId,
          code,
          options,
          nodeOutputs: request.nodeOutputs,
          run: request.run,
          signal: request.signal,
        }),
      slots: definition.credentials ?? [],
      scrubber,
    });
    const returned = await definition.execute(context);
    const outputs = normaliseOutputs(definition, request.nodeId, request.rawParams, returned);
    const asked = effect();
    // A node that used a credential gives back nothing that contains its secrets (an API that
    // echoes the Authorization header, an error that quotes a request).
    return scrubber.scrub(asked ? { outputs, effect: asked } : { outputs });
  } catch (error) {
    throw scrubber.scrubError(error);
  }
}
