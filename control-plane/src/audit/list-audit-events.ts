import { FlowForgeError } from '@flowforge/connectors-sdk';
import {
  AUDIT_PAGE_DEFAULT,
  type AuditEvent,
  type AuditEventPage,
  type AuditOrder,
} from '@flowforge/connectors-sdk/contract';
import type { PrismaClient } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DEFAULT_PROJECT } from '../workspace.ts';

export interface AuditQuery {
  project?: string | undefined;
  /** Only events at or after this time. */
  since?: Date | undefined;
  action?: string | undefined;
  first?: number | undefined;
  /** A page's `nextCursor`: the `seq` of its last event. */
  after?: string | undefined;
  order?: AuditOrder | undefined;
}

/**
 * One page of the audit log. Pages by `seq` (a keyset, not an offset), so a page costs the same
 * however deep into a big log it is, and events appended meanwhile never shift a page.
 */
export async function listAuditEvents(prisma: PrismaClient, query: AuditQuery): Promise<AuditEventPage> {
  const first = query.first ?? AUDIT_PAGE_DEFAULT;
  const newestFirst = (query.order ?? 'NEWEST_FIRST') === 'NEWEST_FIRST';
  const after = query.after === undefined ? undefined : cursorSeq(query.after);
  const where: Prisma.AuditEventWhereInput = {
    project: query.project ?? DEFAULT_PROJECT,
    ...(query.since ? { at: { gte: query.since } } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(after !== undefined ? { seq: newestFirst ? { lt: after } : { gt: after } } : {}),
  };
  const rows = await prisma.auditEvent.findMany({
    where,
    orderBy: { seq: newestFirst ? 'desc' : 'asc' },
    take: first + 1,
  });
  const page = rows.slice(0, first);
  const last = page.at(-1);
  return {
    events: page.map(toWire),
    nextCursor: rows.length > first && last ? last.seq.toString() : null,
  };
}

function toWire(row: Prisma.AuditEventGetPayload<object>): AuditEvent {
  return {
    id: row.id,
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    project: row.project,
    requestId: row.requestId,
    beforeHash: row.beforeHash,
    afterHash: row.afterHash,
    data: row.data,
  };
}

function cursorSeq(cursor: string): bigint {
  if (!/^\d{1,19}$/.test(cursor)) {
    throw new FlowForgeError('FF_BAD_INPUT', `"${cursor}" is not a cursor of the audit log`, {
      path: ['after'],
      hint: 'pass the nextCursor of the previous page as it was',
    });
  }
  return BigInt(cursor);
}
