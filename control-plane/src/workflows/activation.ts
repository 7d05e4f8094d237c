import {
  type DescriptorRegistry,
  FlowForgeError,
  type ScheduleSpec,
  type WebhookRoute,
  type WorkflowDefinition,
} from '@flowforge/connectors-sdk';
import { recordAudit } from '../audit.ts';
import { isUniqueViolation, type PrismaClient } from '../database.ts';
import { lookupVersion } from '../runs/workflow-versions.ts';
import { checkWebhookCredentials } from '../webhooks/webhook-auth.ts';
import { refuseIfArchived } from './archived-guard.ts';

export interface ActivationDeps {
  prisma: PrismaClient;
  projectId: string;
  registry: DescriptorRegistry;
  /** Told after every change, so this process's webhook router reads the routes again. */
  routesChanged?: () => void;
  /** Creates, updates or deletes the workflow's Temporal Schedules; a failure undoes the activation. */
  schedules?: ScheduleSync;
}

/**
 * The Temporal side of schedule triggers (schedules/temporal-schedules.ts). `previous` are the
 * schedule triggers of the version that was active until now (none: the workflow was inactive):
 * their schedules go when the new version has no trigger node of that id.
 */
export interface ScheduleSync {
  activate(
    workflow: string,
    version: ActivatedVersion,
    schedules: ScheduleTrigger[],
    previous: ScheduleTrigger[],
  ): Promise<void>;
  deactivate(workflow: string, previous: ScheduleTrigger[]): Promise<void>;
}

export interface ActivatedVersion {
  id: string;
  version: number;
  hash: string;
  definition: WorkflowDefinition;
}

export interface WebhookTrigger extends WebhookRoute {
  nodeId: string;
}

export interface ScheduleTrigger extends ScheduleSpec {
  nodeId: string;
}

/**
 * The schedules are brought in line with Temporal inside the transaction, and Temporal may take a
 * few seconds (Prisma's default is 5 s): a transaction that timed out after Temporal had changed
 * would leave the schedules on a version the database does not call active.
 */
const ACTIVATION_TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

/** What `activateWorkflow` and `deactivateWorkflow` answer (GraphQL Activation, `workflow activate --json`). */
export interface Activation {
  workflow: string;
  activeVersion: number | null;
  previousVersion: number | null;
  webhooks: Array<{ method: string; path: string; nodeId: string }>;
  schedules: ScheduleTrigger[];
}

/**
 * Makes `version` (the latest when left out) the one the workflow's webhooks and schedules start,
 * atomically: its routes replace the previous version's in one transaction (a route another active
 * workflow holds refuses the whole activation with FF_CONFLICT, naming it), and its Temporal
 * Schedules are brought in line before the transaction commits. Activating another version is
 * also how a workflow is rolled back. Audited as `workflow.activate`.
 */
export async function activateWorkflow(
  deps: ActivationDeps,
  name: string,
  version: number | undefined,
  actor: string,
): Promise<Activation> {
  const { found, versions, wanted } = await lookupVersion(deps.prisma, deps.projectId, name, version);
  if (!found) {
    throw new FlowForgeError(
      'FF_NOT_FOUND',
      versions.length === 0 ? `no workflow named "${name}"` : `workflow "${name}" has no version ${wanted}`,
      {
        path: versions.length === 0 ? ['workflow'] : ['version'],
        hint:
          versions.length === 0
            ? 'push it first: flowforge workflow push <file.json>'
            : `its versions are ${versions.join(', ')}`,
      },
    );
  }
  const definition = found.definition as unknown as WorkflowDefinition;
  const webhooks = webhookTriggers(deps.registry, definition);
  const schedules = scheduleTriggers(deps.registry, definition);
  await checkWebhookCredentials(deps, webhooks);
  const activated: ActivatedVersion = { id: found.id, version: found.version, hash: found.hash, definition };
  let previousVersion: number | null = null;
  try {
    await deps.prisma.$transaction(async (tx) => {
      const workflow = await tx.workflow.findUniqueOrThrow({
        where: { id: found.workflowId },
        include: { activeVersion: { select: { version: true, definition: true } } },
      });
      refuseIfArchived(workflow, 'activate');
      previousVersion = workflow.activeVersion?.version ?? null;
      const previousSchedules = workflow.activeVersion
        ? scheduleTriggers(deps.registry, workflow.activeVersion.definition as unknown as WorkflowDefinition)
        : [];
      await tx.webhookRoute.deleteMany({ where: { workflowId: workflow.id } });
      for (const webhook of webhooks) {
        const claimed = await tx.webhookRoute.findUnique({
          where: { method_pattern: { method: webhook.method, pattern: routePattern(webhook.path) } },
          include: { workflow: { select: { name: true } } },
        });
        if (claimed) throw conflict(webhook, claimed.workflow.name, claimed.path);
        await tx.webhookRoute.create({
          data: {
            method: webhook.method,
            path: webhook.path,
            pattern: routePattern(webhook.path),
            workflowId: workflow.id,
            versionId: found.id,
            nodeId: webhook.nodeId,
          },
        });
      }
      await tx.workflow.update({
        where: { id: workflow.id },
        data: { activeVersionId: found.id, activatedAt: new Date() },
      });
      await recordAudit(tx, {
        actor,
        action: 'workflow.activate',
        target: `workflow:${name}@${found.version}`,
        data: {
          previousVersion,
          webhooks: webhooks.map((w) => `${w.method} /webhook/${w.path}`),
          schedules: schedules.length,
        },
        before: { activeVersion: previousVersion },
        after: { activeVersion: found.version, hash: found.hash },
      });
      // Last, inside the transaction: if Temporal refuses a schedule, nothing of the activation stays.
      await deps.schedules?.activate(name, activated, schedules, previousSchedules);
    }, ACTIVATION_TRANSACTION);
  } catch (error) {
    // Two activations racing for one route: the unique key decides; say who holds it.
    if (isUniqueViolation(error)) {
      throw new FlowForgeError(
        'FF_CONFLICT',
        `another workflow was activated on one of "${name}"'s webhook routes just now`,
        {
          hint: 'flowforge workflow list shows which workflows are active; deactivate one of them',
        },
      );
    }
    throw error;
  } finally {
    deps.routesChanged?.();
  }
  return {
    workflow: name,
    activeVersion: found.version,
    previousVersion,
    webhooks: webhooks.map(({ method, path, nodeId }) => ({ method, path, nodeId })),
    schedules,
  };
}

/** Turns the workflow's triggers off: no webhook answers, its schedules are deleted. Audited. */
export async function deactivateWorkflow(deps: ActivationDeps, name: string, actor: string): Promise<Activation> {
  const workflow = await deps.prisma.workflow.findUnique({
    where: { projectId_name: { projectId: deps.projectId, name } },
    include: { activeVersion: { select: { version: true, definition: true } } },
  });
  if (!workflow) {
    throw new FlowForgeError('FF_NOT_FOUND', `no workflow named "${name}"`, {
      path: ['workflow'],
      hint: 'flowforge workflow list shows what exists',
    });
  }
  const previousVersion = await turnTriggersOff(deps, workflow, (tx) =>
    recordAudit(tx, {
      actor,
      action: 'workflow.deactivate',
      target: `workflow:${name}`,
      data: { previousVersion: workflow.activeVersion?.version ?? null },
      before: { activeVersion: workflow.activeVersion?.version ?? null },
      after: { activeVersion: null },
    }),
  );
  return { workflow: name, activeVersion: null, previousVersion, webhooks: [], schedules: [] };
}

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * One transaction that deletes the workflow's webhook routes, clears its active version, runs
 * `alsoInTransaction` (the audit event, the archive mark) and deletes its Temporal Schedules last (a
 * refusal undoes the rest). Answers the version that was active. Deactivation and archive share it.
 */
export async function turnTriggersOff(
  deps: ActivationDeps,
  workflow: { id: string; name: string; activeVersion: { version: number; definition: unknown } | null },
  alsoInTransaction: (tx: Transaction) => Promise<void>,
): Promise<number | null> {
  try {
    await deps.prisma.$transaction(async (tx) => {
      await tx.webhookRoute.deleteMany({ where: { workflowId: workflow.id } });
      await tx.workflow.update({ where: { id: workflow.id }, data: { activeVersionId: null, activatedAt: null } });
      await alsoInTransaction(tx);
      const previousSchedules = workflow.activeVersion
        ? scheduleTriggers(deps.registry, workflow.activeVersion.definition as WorkflowDefinition)
        : [];
      await deps.schedules?.deactivate(workflow.name, previousSchedules);
    }, ACTIVATION_TRANSACTION);
  } finally {
    deps.routesChanged?.();
  }
  return workflow.activeVersion?.version ?? null;
}

/** `orders/:id` → `orders/:`: two paths that differ only in parameter names are one route. */
export function routePattern(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? ':' : segment))
    .join('/');
}

function webhookTriggers(registry: DescriptorRegistry, dag: WorkflowDefinition): WebhookTrigger[] {
  const triggers = dag.nodes.flatMap((node) => {
    const webhook = registry.get(node.type)?.capabilities?.webhook;
    return webhook ? [{ ...webhook(node.params), nodeId: node.id }] : [];
  });
  const seen = new Map<string, string>();
  for (const trigger of triggers) {
    const key = `${trigger.method} ${routePattern(trigger.path)}`;
    const other = seen.get(key);
    if (other) {
      throw new FlowForgeError(
        'FF_CONFLICT',
        `nodes "${other}" and "${trigger.nodeId}" of workflow "${dag.name}" both answer ${trigger.method} /webhook/${trigger.path}`,
        { hint: 'give one of them another path or method' },
      );
    }
    seen.set(key, trigger.nodeId);
  }
  return triggers;
}

/** One per trigger.schedule node (any type with the `schedule` capability). */
export function scheduleTriggers(registry: DescriptorRegistry, dag: WorkflowDefinition): ScheduleTrigger[] {
  return dag.nodes.flatMap((node) => {
    const schedule = registry.get(node.type)?.capabilities?.schedule;
    return schedule ? [{ ...schedule(node.params), nodeId: node.id }] : [];
  });
}

function conflict(webhook: WebhookTrigger, holder: string, path: string): FlowForgeError {
  return new FlowForgeError(
    'FF_CONFLICT',
    `${webhook.method} /webhook/${webhook.path} is answered by workflow "${holder}" (as /webhook/${path}), which is active`,
    {
      path: ['nodes', webhook.nodeId, 'params', 'path'],
      hint: `deactivate "${holder}" first (flowforge workflow deactivate ${holder}), or give this trigger another path`,
    },
  );
}
