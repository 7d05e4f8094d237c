import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Flags } from '@oclif/core';
import { AUDIT_FILTER_FLAGS, auditEvents } from '../audit-log.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { progress } from '../output.ts';

export default class AuditExport extends FlowForgeCommand {
  static override summary = 'Export the audit log as JSON lines, oldest first.';
  static override description =
    `One event per line, the same object as audit list --json prints, oldest first; to standard
output, or to --output. Reads the log page by page, so a log of any size streams in constant memory.`;
  static override flags = {
    ...AUDIT_FILTER_FLAGS,
    output: Flags.string({ char: 'o', description: 'write to this file instead of standard output' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(AuditExport);
    const out: NodeJS.WritableStream | WriteStream = flags.output ? createWriteStream(flags.output) : process.stdout;
    let count = 0;
    for await (const event of auditEvents(this.client, flags, 'OLDEST_FIRST')) {
      // Respect back-pressure: a slow pipe or disk holds the next page back.
      if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain');
      count++;
    }
    if (out !== process.stdout) {
      (out as WriteStream).end();
      await once(out, 'finish');
      progress(`${count} audit events written to ${flags.output}`);
    }
  }
}
