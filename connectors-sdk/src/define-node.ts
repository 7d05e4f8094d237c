import type { z } from 'zod';
import type { ApprovalRequest } from './approval.ts';
import type { Duration } from './duration.ts';
import type { Item, PortItems } from './items.ts';
import type { SubworkflowRequest } from './subworkflow.ts';
import type { WebhookWaitRequest } from './webhook-wait.ts';

/** Ports that depend on the parameters (a Switch's rules name its outputs). */
export type PortSpec = readonly string[] | ((rawParams: Record<string, unknown>) => readonly string[]);

/** What a node may use while it runs. One shape in the worker and in the test harness. */
export interface NodeContext<P> {
  readonly nodeId: string;
  /** Parameters evaluated against the first input item (or none), validated by the node's schema. */
  readonly params: P;
  /** Parameters evaluated against input item `index` of the `main` input. */
  paramsAt(index: number): P;
  /** Items on the `main` input port. */
  readonly items: Item[];
  /** Items per input port (`main`, or `in1`, `in2`... for Merge). */
  readonly inputs: PortItems;
  readonly run: RunInfo;
  /** Stable per run, node and iteration: the same across retries of this execution. */
  readonly idempotencyKey: string;
  /** Aborted when the run is cancelled or the node times out. */
  readonly signal: AbortSignal;
  heartbeat(details?: unknown): void;
  /** Runs JavaScript in the sandbox (CPU-time and memory limits, no host access). */
  runCode(code: string, options: RunCodeOptions): Promise<unknown>;
  /** Asks the run to wait durably (a Temporal timer) before this node's outputs are delivered. */
  waitUntil(until: Date): void;
  /** Asks the run to wait durably for a person's decision (core.approval) before routing the outputs. */
  waitForApproval(request: ApprovalRequest): void;
  /** Asks the run to wait durably for a POST to the node's signed resume URL; its body becomes the output. */
  waitForWebhook(request: WebhookWaitRequest): void;
  /** Asks the run to start a linked workflow version as a child run (core.executeWorkflow). */
  startWorkflow(request: SubworkflowRequest): void;
}

export interface RunInfo {
  readonly id: string;
  readonly workflow: { readonly name: string; readonly version: number };
  readonly input: unknown;
}

export interface RunCodeOptions {
  /** `allItems`: the code runs once with `items`; `eachItem`: once per item with `$json`. */
  mode: 'allItems' | 'eachItem';
  items: Item[];
  timeoutMs?: number;
}

export interface NodeDefinition<S extends z.ZodType = z.ZodType> {
  /** Namespaced id: `trigger.manual`, `core.set`, `http.request`. */
  readonly type: string;
  readonly version: number;
  readonly displayName: string;
  readonly description: string;
  readonly params: S;
  readonly inputs: PortSpec;
  /** Extra input ports allowed beyond `inputs` (Merge takes `in3`, `in4`...). */
  readonly extraInputs?: RegExp;
  readonly outputs: PortSpec;
  readonly credentials?: readonly string[];
  /** Used when the workflow file gives the node no `timeout`. */
  readonly defaultTimeout: Duration;
  /** Parameter paths that are never expressions (a Code node's source). */
  readonly literalParams?: readonly string[];
  execute(ctx: NodeContext<z.infer<S>>): Promise<PortItems> | PortItems;
}

/** Defines a node type once: the control plane validates with it, the UI renders its form, the worker runs it. */
export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition<S> {
  if (!/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/.test(definition.type)) {
    throw new Error(`node type "${definition.type}" must be namespaced, like "core.set"`);
  }
  return Object.freeze({ ...definition });
}

export type AnyNodeDefinition = NodeDefinition<z.ZodType>;

/** The node types a worker or the control plane knows, by type id. */
export type NodeRegistry = ReadonlyMap<string, AnyNodeDefinition>;

export function createRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const registry = new Map<string, AnyNodeDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.type)) throw new Error(`node type "${definition.type}" is defined twice`);
    registry.set(definition.type, definition);
  }
  return registry;
}

export function resolvePorts(spec: PortSpec, rawParams: Record<string, unknown>): readonly string[] {
  return typeof spec === 'function' ? spec(rawParams) : spec;
}
