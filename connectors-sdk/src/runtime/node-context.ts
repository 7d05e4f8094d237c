import type { NodeContext, RunCodeOptions } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { NodeEffect } from '../node-effect.ts';
import type { NodeParams } from './node-params.ts';
import type { NodeRunRequest } from './run-node.ts';

export interface NodeContextHandle {
  context: NodeContext<unknown>;
  /** The wait or child run `execute` asked the run for, if any (the last call wins). */
  effect(): NodeEffect | undefined;
}

/** A response travels back through the run's history: keep it well under Temporal's 2 MB payload limit. */
const MAX_RESPONSE_CHARS = 1024 * 1024;

export interface NodeContextOptions {
  request: NodeRunRequest;
  params: NodeParams;
  runCode(code: string, options: RunCodeOptions): Promise<unknown>;
}

/** Builds the `ctx` a node's `execute` receives; the worker and the test harness share it via runNode. */
export function createNodeContext({ request, params, runCode }: NodeContextOptions): NodeContextHandle {
  let effect: NodeEffect | undefined;
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
      effect = { kind: 'timer', until: until.toISOString() };
    },
    waitForApproval(request) {
      effect = { kind: 'approval', request };
    },
    waitForWebhook(request) {
      effect = { kind: 'webhook', request };
    },
    startWorkflow(request) {
      effect = { kind: 'subworkflow', request };
    },
    respondToWebhook(response) {
      const size = JSON.stringify(response.body ?? null).length;
      if (size > MAX_RESPONSE_CHARS) {
        throw new FlowForgeError(
          'FF_INVALID_PARAMS',
          `node "${request.nodeId}": the response body is ${size} characters of JSON; at most ${MAX_RESPONSE_CHARS} go back through the run`,
          {
            path: ['params', 'body'],
            hint: 'answer with less (an id, a summary), or respond "immediately" and let the caller fetch the rest',
          },
        );
      }
      effect = { kind: 'respond', response };
    },
  };
  return { context, effect: () => effect };
}
