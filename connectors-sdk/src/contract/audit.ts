import { z } from 'zod';

/**
 * The audit log on the wire: what GraphQL `auditEvents` answers, `flowforge audit list --json` prints
 * and `flowforge audit export` writes one per line. Events are append-only; `seq` orders them.
 */
export const AuditEventSchema = z.object({
  id: z.string(),
  /** Insertion order, as a decimal string (a 64-bit counter). */
  seq: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  project: z.string(),
  requestId: z.string().nullable(),
  beforeHash: z.string().nullable(),
  afterHash: z.string().nullable(),
  data: z.unknown(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditOrderSchema = z.enum(['NEWEST_FIRST', 'OLDEST_FIRST']);
export type AuditOrder = z.infer<typeof AuditOrderSchema>;

/** One page: pass `nextCursor` as `after` for the next; null when this page is the last. */
export const AuditEventPageSchema = z.object({
  events: z.array(AuditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditEventPage = z.infer<typeof AuditEventPageSchema>;

/** Page sizes: `first` is 1..500, 50 when left out. */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;
