import { Flags } from '@oclif/core';
import { AUDIT_FILTER_FLAGS, auditEvents, formatAuditEvent } from '../audit-log.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class AuditList extends FlowForgeCommand {
  static override summary = 'List audit events, newest first.';
  static override description = `JSON output: [{ "id", "seq", "at", "actor", "action", "target", "project", "requestId",
"beforeHash", "afterHash", "data" }], newest first. Without --json: one line per event.`;
  static override flags = {
    ...AUDIT_FILTER_FLAGS,
    limit: Flags.integer({ description: 'how many events, at most (default 50)', min: 1, default: 50 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(AuditList);
    const events = [];
    for await (const event of auditEvents(this.client, flags, 'NEWEST_FIRST', flags.limit)) events.push(event);
    if (flags.json) {
      printJson(events);
      return;
    }
    if (events.length === 0) this.log('no audit events match');
    for (const event of events) this.log(formatAuditEvent(event));
  }
}
