import type { DescriptorRegistry, WebhookRoute, WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { PrismaClient } from '../database.ts';
import type { WorkflowVersion } from '../generated/prisma/client.ts';

/** An active webhook: the route, and the version (with its definition) a request starts. */
export interface ActiveWebhook {
  route: WebhookRoute;
  workflow: string;
  version: WorkflowVersion;
  definition: WorkflowDefinition;
  nodeId: string;
  segments: readonly string[];
}

export type WebhookMatch =
  | { kind: 'found'; webhook: ActiveWebhook; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

/** How long another replica's activation may take to reach this one's routes. */
const REFRESH_MS = 5_000;

/**
 * The active webhook routes, held in memory: a request is matched without touching the database.
 * The table is read again after an activation in this process, every few seconds (activations on
 * other replicas), and once more before a request is answered 404 (a route activated a moment ago).
 */
export class WebhookRouter {
  private webhooks: ActiveWebhook[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | undefined;
  private readonly prisma: PrismaClient;
  private readonly registry: DescriptorRegistry;
  private readonly projectId: string;

  constructor(deps: { prisma: PrismaClient; registry: DescriptorRegistry; projectId: string }) {
    this.prisma = deps.prisma;
    this.registry = deps.registry;
    this.projectId = deps.projectId;
  }

  /** Forget the routes: the next request reads them again. */
  invalidate(): void {
    this.loadedAt = 0;
  }

  async match(method: string, path: string): Promise<WebhookMatch> {
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.load();
    const found = this.find(method, path);
    if (found.kind !== 'none' || Date.now() - this.loadedAt < 1_000) return found;
    await this.load();
    return this.find(method, path);
  }

  private find(method: string, path: string): WebhookMatch {
    const segments = path.split('/');
    const allowed: string[] = [];
    for (const webhook of this.webhooks) {
      const params = matchSegments(webhook.segments, segments);
      if (!params) continue;
      if (webhook.route.method === method) return { kind: 'found', webhook, params };
      allowed.push(webhook.route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.prisma.webhookRoute.findMany({
          where: { workflow: { projectId: this.projectId } },
          include: { workflow: { select: { name: true } } },
        });
        const versions = await this.prisma.workflowVersion.findMany({
          where: { id: { in: [...new Set(rows.map((row) => row.versionId))] } },
        });
        const byId = new Map(versions.map((version) => [version.id, version]));
        this.webhooks = rows.flatMap((row) => {
          const version = byId.get(row.versionId);
          const definition = version?.definition as unknown as WorkflowDefinition | undefined;
          const node = definition?.nodes.find((candidate) => candidate.id === row.nodeId);
          const webhook = node && this.registry.get(node.type)?.capabilities?.webhook;
          if (!version || !definition || !node || !webhook) return [];
          const route = webhook(node.params);
          return [
            {
              route,
              workflow: row.workflow.name,
              version,
              definition,
              nodeId: row.nodeId,
              segments: route.path.split('/'),
            },
          ];
        });
        this.loadedAt = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

/** The `:name` values when `path` fits `pattern` segment by segment, else undefined. */
function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of pattern.entries()) {
    const actual = path[index] ?? '';
    if (segment.startsWith(':')) {
      if (actual === '') return undefined;
      params[segment.slice(1)] = actual;
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}
