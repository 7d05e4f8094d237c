import { contentHash } from '@flowforge/connectors-sdk/run-request';
import { currentRequestId } from './audit/request-context.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { DEFAULT_PROJECT } from './workspace.ts';

type AuditWriter = { auditEvent: { create(args: { data: Prisma.AuditEventCreateInput }): Promise<unknown> } };

export interface AuditEventInput {
  /** Who did it: `api-key:<name>` or `system`. */
  actor: string;
  /** Dotted verb: `workflow.push`, `run.start`, `api-key.create`. */
  action: string;
  /** What it was done to: `workflow:hello@2`, `run:<id>`. */
  target: string;
  /** The project's name; `default` when not given. */
  project?: string;
  data?: Prisma.InputJsonValue;
  /**
   * What the target was before and after the change, where that applies; only their hashes are kept
   * (sha256 of canonical JSON), so the log proves what changed without holding a copy. Never pass a
   * secret value: a hash of a short secret can be guessed.
   */
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one audit event; AuditEvent rows are never updated or deleted (the database refuses it).
 * The request id comes from the HTTP request this runs for. Pass a transaction to make it atomic.
 */
export async function recordAudit(db: AuditWriter, event: AuditEventInput): Promise<void> {
  const { before, after, project, data, ...rest } = event;
  const requestId = currentRequestId();
  await db.auditEvent.create({
    data: {
      ...rest,
      project: project ?? DEFAULT_PROJECT,
      data: data ?? {},
      ...(requestId !== undefined ? { requestId } : {}),
      ...(before !== undefined ? { beforeHash: contentHash(before) } : {}),
      ...(after !== undefined ? { afterHash: contentHash(after) } : {}),
    },
  });
}
