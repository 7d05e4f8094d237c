import { z } from '@flowforge/connectors-sdk';
import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

const WorkflowSummarySchema = z.object({
  name: z.string(),
  latestVersion: z.int(),
  activeVersion: z.int().nullable(),
  archived: z.boolean(),
  versions: z.array(z.object({ version: z.int(), hash: z.string(), createdAt: z.string() })),
});

export default class WorkflowList extends FlowForgeCommand {
  static override summary = 'List the workflows with their versions.';
  static override description =
    `JSON output: [{ "name", "latestVersion", "activeVersion", "versions": [{ "version", "hash", "createdAt" }] }],
versions newest first; activeVersion is null when the workflow's triggers are off. Archived workflows
are left out unless --archived (only them) or --all; they carry "archived": true.`;
  static override flags = {
    archived: Flags.boolean({ description: 'list only archived workflows', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'list archived workflows too', exclusive: ['archived'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkflowList);
    const answer = await this.client.request(
      'query ($all: Boolean) { workflows(includeArchived: $all) { name latestVersion activeVersion archived versions { version hash createdAt } } }',
      { all: flags.archived || flags.all },
      z.object({ workflows: z.array(WorkflowSummarySchema) }),
    );
    const workflows = flags.archived ? answer.workflows.filter((w) => w.archived) : answer.workflows;
    if (flags.json) {
      // The shape from before archiving existed stays as it was; only archived entries say so.
      printJson(workflows.map(({ archived, ...workflow }) => (archived ? { ...workflow, archived } : workflow)));
      return;
    }
    if (workflows.length === 0) {
      this.log(flags.archived ? 'no archived workflows' : 'no workflows yet: flowforge workflow push <file.json>');
      return;
    }
    const width = Math.max(...workflows.map((w) => w.name.length));
    for (const workflow of workflows) {
      const latest = workflow.versions[0];
      const versions = `${workflow.versions.length} version${workflow.versions.length === 1 ? '' : 's'}`;
      const active = workflow.archived
        ? 'archived'
        : workflow.activeVersion === null
          ? 'inactive'
          : `active v${workflow.activeVersion}`;
      this.log(
        `${workflow.name.padEnd(width)}  v${workflow.latestVersion}  ${versions.padEnd(11)}  ${active.padEnd(11)}  ${latest?.createdAt ?? ''}`,
      );
    }
  }
}
