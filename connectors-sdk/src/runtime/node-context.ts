import type { ApprovalRequest } from '../approval.ts';
import type { NodeContext, RunCodeOptions } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { SubworkflowRequest } from '../subworkflow.ts';
import type { WebhookWaitRequest } from '../webhook-wait.ts';
import type { NodeParams } from './node-params.ts';
import type { NodeRunRequest } from './run-node.ts';

export interface NodeContextHandle {
  context: NodeContext<unknown>;
  /** The durable wait `execute` asked for, if any (the last call wins). */
  waitUntil(): Date | undefined;
  /** The approval `execute` asked the run to wait for, if any. */
  approval(): ApprovalRequest | undefined;
  /** The resume webhook `execute` asked the run to wait for, if any. */
  webhook(): WebhookWaitRequest | undefined;
  /** The child run `execute` asked the run to start, if any. */
  subworkflow(): SubworkflowRequest | undefined;
}

export interface NodeContextOptions {
  request: NodeRunRequest;
  params: NodeParams;
  runCode(code: string, options: RunCodeOptions): Promise<unknown>;
}

/** Builds the `ctx` a node's `execute` receives; the worker and the test harness share it via runNode. */
export function createNodeContext({ request, params, runCode }: NodeContextOptions): NodeContextHandle {
  let waitUntil: Date | undefined;
  let approval: ApprovalRequest | undefined;
  let webhook: WebhookWaitRequest | undefined;
  let subworkflow: SubworkflowRequest | undefined;
  const signal = request.signal ?? new AbortController().signal;
  const context: NodeContext<unknown> = {
    nodeId: request.nodeId,
    get params() {
      return params.at(0);
    },
    paramsAt: (index) => params.at(index),
    items: request.inputs.main ?? [],
    inputs: request.inputs,
    run: request.run,
    idempotencyKey: request.idempotencyKey,
    signal,
    heartbeat: (details) => request.heartbeat?.(details),
    runCode,
    waitUntil(until) {
      if (!(until instanceof Date) || Number.isNaN(until.getTime())) {
        throw new FlowForgeError('FF_INTERNAL', `node "${request.nodeId}" asked to wait until an invalid date`);
      }
      waitUntil = until;
    },
    waitForApproval(request) {
      approval = request;
    },
    waitForWebhook(request) {
      webhook = request;
    },
    startWorkflow(request) {
      subworkflow = request;
    },
  };
  return {
    context,
    waitUntil: () => waitUntil,
    approval: () => approval,
    webhook: () => webhook,
    subworkflow: () => subworkflow,
  };
}
