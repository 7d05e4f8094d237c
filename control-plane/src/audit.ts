import type { Prisma } from './generated/prisma/client.ts';

type AuditWriter = { auditEvent: { create(args: { data: Prisma.AuditEventCreateInput }): Promise<unknown> } };

export interface AuditEventInput {
  /** Who did it: `api-key:<name>` or `system`. */
  actor: string;
  /** Dotted verb: `workflow.push`, `run.start`, `api-key.create`. */
  action: string;
  /** What it was done to: `workflow:hello@2`, `run:<id>`. */
  target: string;
  data?: Prisma.InputJsonValue;
}

/** Appends one audit event; AuditEvent rows are never updated or deleted. Pass a transaction to make it atomic. */
export async function recordAudit(db: AuditWriter, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({ data: { ...event, data: event.data ?? {} } });
}
