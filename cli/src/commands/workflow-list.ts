import { z } from '@flowforge/connectors-sdk';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

const WorkflowSummarySchema = z.object({
  name: z.string(),
  latestVersion: z.int(),
  activeVersion: z.int().nullable(),
  versions: z.array(z.object({ version: z.int(), hash: z.string(), createdAt: z.string() })),
});

export default class WorkflowList extends FlowForgeCommand {
  static override summary = 'List the workflows with their versions.';
  static override description =
    `JSON output: [{ "name", "latestVersion", "activeVersion", "versions": [{ "version", "hash", "createdAt" }] }],
versions newest first; activeVersion is null when the workflow's triggers are off.`;

  async run(): Promise<void> {
    const { flags } = await this.parse(WorkflowList);
    const { workflows } = await this.client.request(
      '{ workflows { name latestVersion activeVersion versions { version hash createdAt } } }',
      {},
      z.object({ workflows: z.array(WorkflowSummarySchema) }),
    );
    if (flags.json) {
      printJson(workflows);
      return;
    }
    if (workflows.length === 0) {
      this.log('no workflows yet: flowforge workflow push <file.json>');
      return;
    }
    const width = Math.max(...workflows.map((w) => w.name.length));
    for (const workflow of workflows) {
      const latest = workflow.versions[0];
      const versions = `${workflow.versions.length} version${workflow.versions.length === 1 ? '' : 's'}`;
      const active = workflow.activeVersion === null ? 'inactive' : `active v${workflow.activeVersion}`;
      this.log(
        `${workflow.name.padEnd(width)}  v${workflow.latestVersion}  ${versions.padEnd(11)}  ${active.padEnd(11)}  ${latest?.createdAt ?? ''}`,
      );
    }
  }
}
