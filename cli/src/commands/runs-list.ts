import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { formatRunList, RUN_SUMMARY_FIELDS, RunsAnswerSchema, runSummaryJson } from '../run-list.ts';

export default class RunsList extends FlowForgeCommand {
  static override summary = 'List recent runs, newest first.';
  static override description =
    `JSON output: [{ "runId", "status", "workflow": { "name", "version" }, "trigger": { "kind", "by"?,
"retryOf"?, "parentRun"? }, "startedAt", "finishedAt"? }], newest first. Without --json: a table.`;
  static override flags = {
    workflow: Flags.string({ description: 'only the runs of this workflow' }),
    limit: Flags.integer({ description: 'how many runs, 1 to 100 (default 20)', min: 1, max: 100 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(RunsList);
    const { runs } = await this.client.request(
      `query ($w: String, $l: Int) { runs(workflow: $w, limit: $l) { ${RUN_SUMMARY_FIELDS} } }`,
      { w: flags.workflow ?? null, l: flags.limit ?? null },
      RunsAnswerSchema,
    );
    if (flags.json) printJson(runs.map(runSummaryJson));
    else this.log(formatRunList(runs, flags.workflow));
  }
}
