import { z } from '@flowforge/connectors-sdk';
import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { formatVersions, VERSION_FIELDS, VersionSchema } from '../versions.ts';
import { workflowNotFound } from '../workflow-lookup.ts';

export default class WorkflowVersions extends FlowForgeCommand {
  static override summary = "List a workflow's versions, newest first.";
  static override description =
    `Archived workflows too. JSON output (a contract): [{ "version", "hash", "message", "createdAt", "actor", "active" }],
newest first; message is what push --message said (null when nothing), actor who pushed it (api-key:<name>),
active whether its triggers start this version. An unknown workflow is FF_NOT_FOUND (exit 2).`;
  static override examples = ['<%= config.bin %> workflow versions orders --json'];
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowVersions);
    const { workflow } = await this.client.request(
      `query ($n: String!) { workflow(name: $n) { archived versions { ${VERSION_FIELDS} } } }`,
      { n: args.name },
      z.object({ workflow: z.object({ archived: z.boolean(), versions: z.array(VersionSchema) }).nullable() }),
    );
    if (!workflow) throw workflowNotFound(args.name);
    if (flags.json) printJson(workflow.versions);
    else this.log(formatVersions(args.name, workflow.versions, workflow.archived));
  }
}
