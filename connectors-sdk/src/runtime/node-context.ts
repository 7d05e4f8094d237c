import { secretStringsOf } from '../define-credential.ts';
import type { CredentialSlot, NodeContext, RunCodeOptions } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { NodeEffect } from '../node-effect.ts';
import type { SecretScrubber } from '../secret-scrubber.ts';
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
  /** The slots the node's type declares. */
  slots: readonly CredentialSlot[];
  /** Learns every secret the node is given, so what it gives back can be scrubbed. */
  scrubber: SecretScrubber;
}

/** Builds the `ctx` a node's `execute` receives; the worker and the test harness share it via runNode. */
export function createNodeContext(options: NodeContextOptions): NodeContextHandle {
  const { request, params, runCode, scrubber } = options;
  let effect: NodeEffect | undefined;
  const signal = request.signal ?? new AbortController().signal;
  const credential = credentialGetter(options);
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
    heartbeat: (details) => request.heartbeat?.(scrubber.scrub(details)),
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
    credential: credential as NodeContext<unknown>['credential'],
    secret(value) {
      scrubber.add(value);
      return value;
    },
  };
  return { context, effect: () => effect };
}

/**
 * `ctx.credential(slot)`: the slot must be one the node's type declares and the node must name a
 * credential in it; the value is fetched once per execution (later calls share it) and its secret
 * fields are known to the scrubber before the node sees them.
 */
function credentialGetter({ request, slots, scrubber }: NodeContextOptions): (slot: string) => Promise<unknown> {
  const fetched = new Map<string, Promise<unknown>>();
  return (slot) => {
    const declared = slots.find((s) => s.name === slot);
    if (!declared) {
      return Promise.reject(
        new FlowForgeError('FF_INTERNAL', `node "${request.nodeId}": its type declares no credential slot "${slot}"`),
      );
    }
    const name = request.credentials?.[slot];
    if (name === undefined) {
      return Promise.reject(
        new FlowForgeError('FF_VALIDATION', `node "${request.nodeId}" names no credential in slot "${slot}"`, {
          path: ['credentials', slot],
          hint: `add "credentials": { "${slot}": "<name>" } to the node (flowforge credentials list shows the names)`,
        }),
      );
    }
    const resolve = request.resolveCredential;
    if (!resolve) {
      return Promise.reject(
        new FlowForgeError(
          'FF_CONFIG',
          `node "${request.nodeId}" needs credential "${name}", but this worker cannot fetch credentials`,
          {
            hint: 'give the worker the control plane URL (FLOWFORGE_CONTROL_PLANE_URL) and its worker token',
          },
        ),
      );
    }
    let value = fetched.get(slot);
    if (!value) {
      value = resolve(slot).then((resolved) => {
        for (const secret of secretStringsOf(request.credentialTypes?.get(declared.type), resolved))
          scrubber.add(secret);
        return resolved;
      });
      fetched.set(slot, value);
    }
    return value;
  };
}
