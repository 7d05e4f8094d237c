import { DurationSchema, durationToMs, FlowForgeError, z } from '@flowforge/connectors-sdk';
import {
  AUDIT_PAGE_MAX,
  type AuditEvent,
  AuditEventPageSchema,
  type AuditOrder,
} from '@flowforge/connectors-sdk/contract';
import { Flags } from '@oclif/core';
import type { ControlPlaneClient } from './control-plane-client.ts';

/** The filters `audit list` and `audit export` share. */
export const AUDIT_FILTER_FLAGS = {
  project: Flags.string({ description: 'the project whose events to read', default: 'default' }),
  since: Flags.string({ description: 'only events at or after: an ISO time, or an age like 30m, 12h, 7d' }),
  action: Flags.string({ description: 'only this action, like workflow.push or credential.set' }),
};

const AUDIT_QUERY = `query ($project: String, $since: String, $action: String, $first: Int, $after: String, $order: AuditOrder) {
  auditEvents(project: $project, since: $since, action: $action, first: $first, after: $after, order: $order) {
    events { id seq at actor action target project requestId beforeHash afterHash data }
    nextCursor
  }
}`;
const AuditAnswerSchema = z.object({ auditEvents: AuditEventPageSchema });

export interface AuditFilters {
  project: string;
  since?: string | undefined;
  action?: string | undefined;
}

/** `--since`: an ISO time as it is, or an age (`30m`, `7d`) as the ISO time that long ago. */
export function sinceOf(value: string | undefined, now = Date.now()): string | undefined {
  if (value === undefined) return undefined;
  if (DurationSchema.safeParse(value).success) return new Date(now - durationToMs(value)).toISOString();
  const time = Date.parse(value);
  if (!Number.isNaN(time) && /^\d{4}-\d{2}-\d{2}/.test(value)) return new Date(time).toISOString();
  throw new FlowForgeError('FF_BAD_INPUT', `--since "${value}" is neither an ISO time nor an age`, {
    path: ['since'],
    hint: 'write an ISO time (2026-12-01T09:00:00Z) or an age: 30m, 12h, 7d',
  });
}

/**
 * Every matching event, page by page (at most 500 per request), so a log of any size streams
 * through in constant memory. Stops after `limit` events when given.
 */
export async function* auditEvents(
  client: ControlPlaneClient,
  filters: AuditFilters,
  order: AuditOrder,
  limit?: number,
): AsyncGenerator<AuditEvent> {
  let after: string | null = null;
  let left = limit ?? Number.POSITIVE_INFINITY;
  const since = sinceOf(filters.since);
  do {
    const first = Math.min(AUDIT_PAGE_MAX, left);
    const answer: z.infer<typeof AuditAnswerSchema> = await client.request(
      AUDIT_QUERY,
      { project: filters.project, since: since ?? null, action: filters.action ?? null, first, after, order },
      AuditAnswerSchema,
    );
    const page = answer.auditEvents;
    for (const event of page.events) yield event;
    left -= page.events.length;
    after = page.nextCursor;
  } while (after !== null && left > 0);
}

export function formatAuditEvent(event: AuditEvent): string {
  return `${event.at}  ${event.actor}  ${event.action}  ${event.target}`;
}
