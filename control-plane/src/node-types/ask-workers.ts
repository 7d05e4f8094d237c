import { randomUUID } from 'node:crypto';
import { type AnyNodeDescriptor, type DescriptorRegistry, FlowForgeError } from '@flowforge/connectors-sdk';
import {
  DESCRIBE_NODE_TYPES_WORKFLOW,
  type NodeTypeInfo,
  NodeTypeInfoSchema,
  NodeTypesAnswerSchema,
  nodeTypeFromInfo,
  paramsFromJsonSchema,
} from '@flowforge/connectors-sdk/contract';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';

/** What the workers of one task queue said they offer, at one moment. */
export interface QueueNodeTypes {
  taskQueue: string;
  /** Workers that polled the queue's workflow tasks lately (Temporal's DescribeTaskQueue), by identity. */
  pollers: string[];
  /** Workers that answered describeNodeTypes, by identity. */
  answered: string[];
  /** Every type some worker answered with (the union: workers of one queue should offer the same). */
  types: ReadonlyMap<string, NodeTypeInfo>;
  /** The same types as descriptors to validate with (nodeTypeFromInfo). */
  descriptors: DescriptorRegistry;
  /** How long the control plane waited for answers, for messages. */
  answerTimeoutMs: number;
  fetchedAt: number;
}

export interface AskWorkersOptions {
  temporal: Client;
  /** How long to wait for the answers; the describe workflows end on the server by then, too. */
  answerTimeoutMs: number;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

/**
 * Temporal keeps a poller listed for minutes after its worker stopped; a live worker polls again at
 * least every minute (the server's long-poll interval), so a poll older than this is a worker gone.
 */
const POLLER_FRESH_MS = 120_000;
/** One describe workflow per polling worker, up to this many: each lands on some worker of the queue. */
const MAX_ASKED = 4;
// temporal.api.enums.v1: TaskQueueKind.NORMAL and TaskQueueType.WORKFLOW.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;

// Parsed entry by entry, so that one type a worker describes badly does not hide the others.
const LenientAnswerSchema = NodeTypesAnswerSchema.extend({ types: z.array(z.unknown()) });

/**
 * Asks the workers of a task queue which node types they offer, through Temporal only: first who
 * polls the queue (so no worker means an answer now, not a timeout), then a describeNodeTypes
 * workflow per polling worker, each bounded by a workflow execution timeout.
 */
export async function askWorkers(options: AskWorkersOptions, taskQueue: string): Promise<QueueNodeTypes> {
  const pollers = await pollersOf(options, taskQueue);
  const asked =
    pollers.length === 0 ? [] : await Promise.all(pollers.slice(0, MAX_ASKED).map(() => ask(options, taskQueue)));
  const answered = new Set<string>();
  const types = new Map<string, NodeTypeInfo>();
  for (const raw of asked) {
    const answer = LenientAnswerSchema.safeParse(raw);
    if (!answer.success) continue;
    answered.add(answer.data.worker);
    for (const entry of answer.data.types) {
      const info = NodeTypeInfoSchema.safeParse(entry);
      if (info.success) types.set(info.data.type, info.data);
      else
        options.log.warn(
          { worker: answer.data.worker, taskQueue, issues: info.error.issues },
          'a worker described a node type the control plane cannot read; it is left out',
        );
    }
  }
  return {
    taskQueue,
    pollers,
    answered: [...answered],
    types,
    descriptors: descriptorsOf(types, options.log),
    answerTimeoutMs: options.answerTimeoutMs,
    fetchedAt: Date.now(),
  };
}

async function pollersOf(options: AskWorkersOptions, taskQueue: string): Promise<string[]> {
  const { temporal } = options;
  let pollers: Array<{ identity?: string | null; lastAccessTime?: { seconds?: unknown } | null }>;
  try {
    // Bounded like the answers: the client's own retries would hold a push for many seconds when Temporal is down.
    ({ pollers } = await temporal.connection.withDeadline(Date.now() + options.answerTimeoutMs, () =>
      temporal.workflowService.describeTaskQueue({
        namespace: temporal.options.namespace,
        taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
        taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
      }),
    ));
  } catch (cause) {
    throw new FlowForgeError(
      'FF_UNAVAILABLE',
      `could not ask Temporal which workers poll task queue "${taskQueue}": ${(cause as Error).message}`,
      { cause, hint: 'check that Temporal is running (GET /healthz names what is down), then try again' },
    );
  }
  const since = Date.now() - POLLER_FRESH_MS;
  const fresh = pollers.filter((poller) => Number(poller.lastAccessTime?.seconds ?? 0) * 1000 >= since);
  return [...new Set(fresh.map((poller) => poller.identity ?? 'unknown'))];
}

async function ask(options: AskWorkersOptions, taskQueue: string): Promise<unknown> {
  const handle = await options.temporal.workflow
    .start(DESCRIBE_NODE_TYPES_WORKFLOW, {
      taskQueue,
      workflowId: `flowforge-node-types-${randomUUID()}`,
      // Enforced by the server: a request no worker picks up ends there, nothing is left behind.
      workflowExecutionTimeout: options.answerTimeoutMs,
    })
    .catch((cause: unknown) => {
      throw new FlowForgeError(
        'FF_UNAVAILABLE',
        `could not ask the workers on task queue "${taskQueue}" for their node types: ${(cause as Error).message}`,
        { cause, hint: 'check that Temporal is running (GET /healthz names what is down), then try again' },
      );
    });
  // No answer in time (a worker too busy, or one older than describeNodeTypes): counted as silent.
  return handle.result().catch(() => undefined);
}

function descriptorsOf(types: ReadonlyMap<string, NodeTypeInfo>, log: AskWorkersOptions['log']): DescriptorRegistry {
  const descriptors = new Map<string, AnyNodeDescriptor>();
  for (const info of types.values()) {
    try {
      descriptors.set(info.type, nodeTypeFromInfo(info));
      if (!paramsFromJsonSchema(info.paramsSchema).exact) {
        log.warn(
          { type: info.type },
          'the params schema of this worker node type cannot be rebuilt: its params are checked by the worker only',
        );
      }
    } catch (error) {
      log.warn({ type: info.type, err: error }, 'a worker node type breaks a descriptor rule; it is left out');
    }
  }
  return descriptors;
}
