import {
  type DescriptorRegistry,
  FlowForgeError,
  type Issue,
  type ValidationResult,
  validateWorkflow,
  type WorkflowDefinition,
} from '@flowforge/connectors-sdk';
import type { QueueNodeTypes } from './ask-workers.ts';
import type { WorkerNodeTypes } from './worker-node-types.ts';

/** What validation against a task queue's node types needs. */
export interface NodeTypeDeps {
  /** The control plane's own node types (the built-in ones): for those types, its definitions win. */
  registry: DescriptorRegistry;
  nodeTypes: WorkerNodeTypes;
  /** The queue runs are started on (FLOWFORGE_TASK_QUEUE). */
  taskQueue: string;
}

/** The node types a workflow file names, as written (before it is validated). */
export function typesNamedIn(input: unknown): string[] {
  const nodes = (input as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes
    .map((node) => (node as { type?: unknown } | null)?.type)
    .filter((t): t is string => typeof t === 'string');
}

/**
 * What the queue's workers offer, asked again once when `types` are missing from a cached answer:
 * a worker that loaded their package may have started since the answer was cached.
 */
export async function offerWith(
  deps: NodeTypeDeps,
  types: readonly string[],
  taskQueue = deps.taskQueue,
): Promise<QueueNodeTypes> {
  const known = await deps.nodeTypes.of(taskQueue);
  if (known.cached && types.some((type) => !known.offer.types.has(type))) {
    return (await deps.nodeTypes.of(taskQueue, { refresh: true })).offer;
  }
  return known.offer;
}

/**
 * The built-in types and, when `types` names others, what the queue's workers offer. The workers are
 * asked only then, so a file of built-in types never waits for Temporal.
 */
async function queueRegistry(
  deps: NodeTypeDeps,
  types: readonly string[],
): Promise<{ registry: DescriptorRegistry; offer?: QueueNodeTypes }> {
  const foreign = [...new Set(types)].filter((type) => !deps.registry.has(type));
  if (foreign.length === 0) return { registry: deps.registry };
  const offer = await offerWith(deps, foreign);
  // Later entries win: a worker's copy of a built-in type never replaces the control plane's own.
  return { registry: new Map([...offer.descriptors, ...deps.registry]), offer };
}

/** Validates a workflow file against the built-in types and what the queue's workers offer. */
export async function validateOnQueue(deps: NodeTypeDeps, input: unknown): Promise<ValidationResult> {
  const { registry, offer } = await queueRegistry(deps, typesNamedIn(input));
  if (!offer) return validateWorkflow(input, registry);
  return validateWorkflow(input, registry, {
    unknownTypeMessage: (type, known) => unknownTypeMessage(type, offer, known),
  });
}

/**
 * The registry a stored version starts with (its linked workflows come from its types'
 * capabilities). A type that no answering worker offers any more would fail the run in the worker
 * (verifyRunRequest) at once: refused here instead. With no worker polling, the run is started and
 * waits in the queue for one, as a run of built-in types does; that worker checks it.
 */
export async function startRegistry(deps: NodeTypeDeps, dag: WorkflowDefinition): Promise<DescriptorRegistry> {
  const { registry, offer } = await queueRegistry(
    deps,
    dag.nodes.map((node) => node.type),
  );
  const missing = [...new Set(dag.nodes.map((node) => node.type))].filter((type) => !registry.has(type));
  if (offer && missing.length > 0 && offer.answered.length > 0) {
    const known = [...registry.keys()].sort();
    throw new FlowForgeError(
      'FF_UNKNOWN_NODE_TYPE',
      missing.map((type) => unknownTypeMessage(type, offer, known)).join('; '),
      { hint: loadHint(deps.taskQueue) },
    );
  }
  return registry;
}

/** Why a type is unknown, naming the task queue that was checked and what its workers said. */
export function unknownTypeMessage(type: string, offer: QueueNodeTypes, known: readonly string[]): string {
  const queue = `task queue "${offer.taskQueue}"`;
  const list = `known types: ${known.join(', ')}`;
  if (offer.pollers.length === 0) {
    return `unknown node type "${type}": no worker polls ${queue} now, so none could offer it (${list})`;
  }
  if (offer.answered.length === 0) {
    const waited = Math.round(offer.answerTimeoutMs / 100) / 10;
    return `unknown node type "${type}": ${workers(offer.pollers.length)} polled ${queue} lately, but none answered within ${waited} s (${list})`;
  }
  return `unknown node type "${type}": no worker on ${queue} offers it (${workers(offer.answered.length)} answered; ${list})`;
}

function loadHint(taskQueue: string): string {
  return (
    `load the package that defines it into the workers of task queue "${taskQueue}" (FLOWFORGE_NODE_PACKAGES, ` +
    'see workers/README.md), or correct the type; flowforge nodes list shows the types that queue offers'
  );
}

function workers(count: number): string {
  return count === 1 ? '1 worker' : `${count} workers`;
}

/**
 * The error for a workflow file that failed validation. Files whose only problems are broken
 * expressions or unknown node types are refused as what they are (FF_EXPRESSION, FF_UNKNOWN_NODE_TYPE).
 */
export function invalidDefinition(issues: Issue[], taskQueue: string): FlowForgeError {
  const only = (code: Issue['code']) => issues.every((issue) => issue.code === code);
  if (only('FF_UNKNOWN_NODE_TYPE')) {
    return new FlowForgeError('FF_UNKNOWN_NODE_TYPE', issues.map((issue) => issue.message).join('; '), {
      issues,
      hint: loadHint(taskQueue),
    });
  }
  const count = issues.length;
  return new FlowForgeError(
    only('FF_EXPRESSION') ? 'FF_EXPRESSION' : 'FF_VALIDATION',
    `the workflow definition has ${count} problem${count === 1 ? '' : 's'}`,
    { issues, hint: 'fix every issue listed (each has a path into the file), then push again' },
  );
}
