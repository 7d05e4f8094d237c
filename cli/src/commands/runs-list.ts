import { z } from '@flowforge/connectors-sdk';
import { RunViewSchema } from '@flowforge/connectors-sdk/contract';
import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class RunsList extends FlowForgeCommand {
  static override summary = 'List recent runs, newest first.';
  static override description =
    `JSON output: [{ "runId", "status", "workflow": { "name", "version" }, "trigger": { "kind", … },
"startedAt", "finishedAt" }] (finishedAt null while it runs); trigger.kind is manual, webhook, schedule, retry,
subworkflow or error. flowforge runs show <runId> gives a run's nodes.`;
  static override examples = ['<%= config.bin %> runs list --workflow nightly --json'];
  static override flags = {
    workflow: Flags.string({ description: "only this workflow's runs" }),
    limit: Flags.integer({ description: 'at most this many (1-100)', min: 1, max: 100, default: 20 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RunsList);
    const { runs } = await this.client.request(
      'query ($w: String, $l: Int) { runs(workflow: $w, limit: $l) { runId status workflow { name version } trigger startedAt finishedAt } }',
      { w: flags.workflow ?? null, l: flags.limit },
      z.object({ runs: z.array(RunViewSchema.omit({ nodes: true })) }),
    );
    const listed = runs.map((run) => ({
      runId: run.runId,
      status: run.status,
      workflow: run.workflow,
      trigger: run.trigger ?? null,
      startedAt: run.startedAt ?? null,
      finishedAt: run.finishedAt ?? null,
    }));
    if (flags.json) {
      printJson(listed);
      return;
    }
    if (listed.length === 0) this.log('no runs yet');
    for (const run of listed) {
      const trigger = run.trigger ? run.trigger.kind : '?';
      this.log(
        `${run.runId}  ${run.workflow.name} v${run.workflow.version}  ${run.status.padEnd(9)}  ${trigger.padEnd(11)}  ${run.startedAt ?? ''}`,
      );
    }
  }
}
