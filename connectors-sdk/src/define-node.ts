import type { z } from 'zod';
import type { ApprovalRequest } from './approval.ts';
import type { Duration } from './duration.ts';
import type { Item, PortItems } from './items.ts';
import type { WebhookResponse } from './node-effect.ts';
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
  /** Asks the run to answer the webhook request that started it (core.respondToWebhook). */
  respondToWebhook(response: WebhookResponse): void;
  /**
   * The value of the credential this node names in `slot` (a slot its type declares), fetched just
   * in time from the control plane. Its secret fields are scrubbed from everything the node gives
   * back (outputs, errors, heartbeats). FF_VALIDATION when the node names no credential there.
   */
  credential<T = Record<string, unknown>>(slot: string): Promise<T>;
  /**
   * Marks a value derived from a credential (an encoded header, an access token) as secret too, so
   * it is scrubbed like the credential's own fields; returns the value unchanged.
   */
  secret(value: string): string;
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

/** Where the builder's palette lists a node type. */
export const NODE_GROUPS = {
  trigger: 'Triggers',
  flow: 'Flow',
  transform: 'Transform data',
  human: 'Human in the loop',
  developer: 'Developer',
  integration: 'Integrations',
} as const;
export type NodeGroup = keyof typeof NODE_GROUPS;

/** A workflow a node may start as a child run (core.executeWorkflow). */
export interface LinkedWorkflowRef {
  workflow: string;
  /** A published version; absent: the latest when the top-level run starts. */
  version?: number | undefined;
}

/**
 * What the engine must know about a node type beyond its ports. Validation, the start order and
 * linked-workflow resolution read these; nothing outside a definition tests a type's name.
 */
export interface NodeCapabilities {
  /** Starts runs: it has no input ports and gets the run input; a workflow needs at least one. */
  readonly trigger?: boolean;
  /**
   * Its activity only opens a durable wait (a timer, a decision, a webhook): `runDag` schedules such
   * nodes ahead of their ready siblings, so the wait's clock starts at once.
   */
  readonly durableWait?: boolean;
  /**
   * No side effect outside the run and no durable wait: running it again (a retry, a replay of a
   * lost attempt) changes nothing in the world.
   */
  readonly pure?: boolean;
  /**
   * The workflows a run of this node may start, read from its validated parameters; the control
   * plane resolves and signs them when the top-level run starts, so they must be literal values
   * (list their params in `literalParams`).
   */
  readonly linkedWorkflows?: (params: Record<string, unknown>) => readonly LinkedWorkflowRef[];
  /**
   * A trigger that listens for HTTP requests: the route it claims while its workflow is active, read
   * from its validated (literal) parameters when the workflow is activated.
   */
  readonly webhook?: (params: Record<string, unknown>) => WebhookRoute;
  /** A trigger that fires on a schedule: the Temporal Schedule that activation creates. */
  readonly schedule?: (params: Record<string, unknown>) => ScheduleSpec;
}

export type WebhookMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a webhook trigger answers, and when (trigger.webhook's `respond`). */
export type WebhookRespond = 'lastNode' | 'immediately' | 'responseNode';

export interface WebhookRoute {
  method: WebhookMethod;
  /** `orders/:id`: segments, `:name` ones become `params.name` of the trigger item. */
  path: string;
  respond: WebhookRespond;
  /** A duration: how long `lastNode` and `responseNode` wait before answering 202. */
  responseTimeout: string;
  auth: { type: 'none' | 'header' | 'basic' | 'hmac'; credential?: string | undefined };
}

export type ScheduleOverlap = 'skip' | 'bufferOne' | 'bufferAll' | 'cancelOther' | 'allowAll';

export interface ScheduleSpec {
  /** Cron expressions (five fields), or an interval (`every`, a duration). */
  cron?: readonly string[] | undefined;
  every?: string | undefined;
  /** An IANA time zone name. */
  timezone: string;
  overlap: ScheduleOverlap;
  catchupWindow?: string | undefined;
}

/** A credential a node may use, named by slot in the workflow file: `"credentials": { "<slot>": "<name>" }`. */
export interface CredentialSlot {
  readonly name: string;
  /** The credential type (`httpHeaderAuth`...). */
  readonly type: string;
  /** Whether the node must name a credential here; a function of the raw params (http.request's `authentication`). */
  readonly required?: boolean | ((rawParams: Record<string, unknown>) => boolean);
  readonly description?: string;
}

/**
 * A node type as everything but the worker sees it: the control plane validates with it, the UI
 * renders its form from its params' JSON Schema, the docs list it. No execution code.
 */
export interface NodeDescriptor<S extends z.ZodType = z.ZodType> {
  /** Namespaced id: `trigger.manual`, `core.set`, `http.request`. */
  readonly type: string;
  readonly version: number;
  readonly displayName: string;
  readonly description: string;
  /** The palette group; connectors default to `integration`. */
  readonly group?: NodeGroup;
  readonly params: S;
  readonly inputs: PortSpec;
  /** Extra input ports allowed beyond `inputs` (Merge takes `in3`, `in4`...). */
  readonly extraInputs?: RegExp;
  readonly outputs: PortSpec;
  /**
   * Extra output ports allowed beyond `outputs`. The control plane's copy of a worker's type whose
   * outputs depend on its parameters has no function to compute them, so it allows any port name
   * (the worker, which has the function, checks the edges again before the run).
   */
  readonly extraOutputs?: RegExp;
  readonly credentials?: readonly CredentialSlot[];
  /** Used when the workflow file gives the node no `timeout`. */
  readonly defaultTimeout: Duration;
  /** Parameter paths that are never expressions (a Code node's source). */
  readonly literalParams?: readonly string[];
  readonly capabilities?: NodeCapabilities;
}

/** A descriptor joined with the code that runs it: what a worker registers. */
export interface NodeDefinition<S extends z.ZodType = z.ZodType> extends NodeDescriptor<S> {
  execute(ctx: NodeContext<z.infer<S>>): Promise<PortItems> | PortItems;
}

/** `core.set`, `acme.sendSms`: a namespace and a name, each a lower-case letter then letters and digits. */
export const NODE_TYPE_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/** Declares a node type without its implementation (the built-in descriptors, a connector's catalogue entry). */
export function defineNodeType<S extends z.ZodType>(descriptor: NodeDescriptor<S>): NodeDescriptor<S> {
  if (!NODE_TYPE_NAME.test(descriptor.type)) {
    throw new Error(`node type "${descriptor.type}" must be namespaced, like "core.set"`);
  }
  if (descriptor.capabilities?.trigger && typeof descriptor.inputs !== 'function' && descriptor.inputs.length > 0) {
    throw new Error(`node type "${descriptor.type}" is a trigger, so it has no input ports`);
  }
  return Object.freeze({ ...descriptor });
}

/**
 * The definitions this copy of the SDK made. A node package that brings its own copy of the SDK
 * makes definitions this copy never saw: its FlowForgeErrors fail `instanceof` here and its zod
 * schemas are another zod's, so a worker refuses such a package (isNodeDefinition is false).
 */
const madeHere = new WeakSet<object>();

/** Joins a descriptor with its `execute`: the worker's side of a node type. */
export function implementNode<S extends z.ZodType>(
  descriptor: NodeDescriptor<S>,
  execute: NodeDefinition<S>['execute'],
): NodeDefinition<S> {
  const definition = Object.freeze({ ...defineNodeType(descriptor), execute });
  madeHere.add(definition);
  return definition;
}

/** Whether `value` was made by this copy's `defineNode` / `implementNode`. */
export function isNodeDefinition(value: unknown): value is AnyNodeDefinition {
  return typeof value === 'object' && value !== null && madeHere.has(value);
}

/** Defines a node type and its implementation in one call (how a connector package usually does it). */
export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition<S> {
  const { execute, ...descriptor } = definition;
  return implementNode(descriptor, execute);
}

export type AnyNodeDescriptor = NodeDescriptor<z.ZodType>;
export type AnyNodeDefinition = NodeDefinition<z.ZodType>;

/** The node types validation knows, by type id. */
export type DescriptorRegistry = ReadonlyMap<string, AnyNodeDescriptor>;
/** The node types a worker runs, by type id. */
export type NodeRegistry = ReadonlyMap<string, AnyNodeDefinition>;

export function createRegistry<T extends AnyNodeDescriptor>(definitions: readonly T[]): ReadonlyMap<string, T> {
  const registry = new Map<string, T>();
  for (const definition of definitions) {
    if (registry.has(definition.type)) throw new Error(`node type "${definition.type}" is defined twice`);
    registry.set(definition.type, definition);
  }
  return registry;
}

export function resolvePorts(spec: PortSpec, rawParams: Record<string, unknown>): readonly string[] {
  return typeof spec === 'function' ? spec(rawParams) : spec;
}
