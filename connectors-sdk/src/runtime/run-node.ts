import type { ApprovalRequest } from '../approval.ts';
import type { AnyNodeDefinition, RunInfo } from '../define-node.ts';
import type { PortItems } from '../items.ts';
import type { SubworkflowRequest } from '../subworkflow.ts';
import type { WebhookWaitRequest } from '../webhook-wait.ts';
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
}

export interface NodeRunResult {
  outputs: PortItems;
  /** Set when the node asked for a durable wait (core.wait): ISO time. */
  waitUntil?: string;
  /** Set when the node asked the run to wait for a person's decision (core.approval). */
  approval?: ApprovalRequest;
  /** Set when the node asked the run to wait for a POST to its resume URL (core.wait, resume: webhook). */
  webhook?: WebhookWaitRequest;
  /** Set when the node asked the run to start a child run (core.executeWorkflow). */
  subworkflow?: SubworkflowRequest;
}

/**
 * Runs one node: evaluates expression parameters per item in the sandbox, validates them with
 * the node's zod schema, calls `execute`. Throws FlowForgeError (FF_EXPRESSION,
 * FF_INVALID_PARAMS, FF_SANDBOX, ...) with the node, parameter path and expression in the message.
 */
export async function runNode(definition: AnyNodeDefinition, request: NodeRunRequest): Promise<NodeRunResult> {
  const params = await prepareNodeParams(definition, request);
  const { context, waitUntil, approval, webhook, subworkflow } = createNodeContext({
    request,
    params,
    runCode: (code, options) =>
      runCode({ nodeId: request.nodeId, code, options, nodeOutputs: request.nodeOutputs, run: request.run }),
  });
  const returned = await definition.execute(context);
  const outputs = normaliseOutputs(definition, request.nodeId, request.rawParams, returned);
  const until = waitUntil();
  const approvalRequest = approval();
  const webhookRequest = webhook();
  const subworkflowRequest = subworkflow();
  return {
    outputs,
    ...(until ? { waitUntil: until.toISOString() } : {}),
    ...(approvalRequest ? { approval: approvalRequest } : {}),
    ...(webhookRequest ? { webhook: webhookRequest } : {}),
    ...(subworkflowRequest ? { subworkflow: subworkflowRequest } : {}),
  };
}
