import { z } from '@flowforge/connectors-sdk';
import { Args } from '@oclif/core';
import { ARCHIVE_FIELDS, ArchiveResultSchema, formatArchive } from '../archive.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class WorkflowUnarchive extends FlowForgeCommand {
  static override summary = 'Unarchive a workflow: it can be pushed, activated and run again.';
  static override description =
    `It stays inactive until workflow activate. JSON output: { "workflow", "archived": false, "archivedAt": null, "previousVersion": null }`;
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowUnarchive);
    const { unarchiveWorkflow } = await this.client.request(
      `mutation ($n: String!) { unarchiveWorkflow(name: $n) { ${ARCHIVE_FIELDS} } }`,
      { n: args.name },
      z.object({ unarchiveWorkflow: ArchiveResultSchema }),
    );
    if (flags.json) printJson(unarchiveWorkflow);
    else this.log(formatArchive(unarchiveWorkflow));
  }
}
