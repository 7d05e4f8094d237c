import { z } from '@flowforge/connectors-sdk';
import { Args } from '@oclif/core';
import { ARCHIVE_FIELDS, ArchiveResultSchema, formatArchive } from '../archive.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class WorkflowArchive extends FlowForgeCommand {
  static override summary = 'Archive a workflow: its triggers stop; its runs and versions stay readable.';
  static override description =
    `Its webhooks answer 404 and its schedules are deleted; push, activate and run refuse it with
FF_ARCHIVED (exit 1) until workflow unarchive. Runs in progress go on. workflow list leaves it out
unless --archived or --all. JSON output: { "workflow", "archived": true, "archivedAt", "previousVersion" }`;
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowArchive);
    const { archiveWorkflow } = await this.client.request(
      `mutation ($n: String!) { archiveWorkflow(name: $n) { ${ARCHIVE_FIELDS} } }`,
      { n: args.name },
      z.object({ archiveWorkflow: ArchiveResultSchema }),
    );
    if (flags.json) printJson(archiveWorkflow);
    else this.log(formatArchive(archiveWorkflow));
  }
}
