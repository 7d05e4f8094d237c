import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { triggerSchedules } from '../schedules.ts';

export default class SchedulesTrigger extends FlowForgeCommand {
  static override summary = "Start one run now for each of a workflow's schedules, as that schedule's run.";
  static override description =
    `The run is signed and verified like the ones the schedule starts on time, and its trigger gets
{ scheduledAt, firedAt, timezone }; it starts whether the schedule is paused or a run is still going.
JSON output: [{ "workflow", "version", "nodeId", "runId" }] (runId null when Temporal did not list the run
within 10 s). A workflow that is unknown, inactive or has no trigger.schedule node is FF_NOT_FOUND (exit 2).`;
  static override examples = ['<%= config.bin %> schedules trigger nightly --json'];
  static override args = { workflow: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SchedulesTrigger);
    const runs = await triggerSchedules(this.client, args.workflow);
    if (flags.json) {
      printJson(runs);
      return;
    }
    for (const run of runs) {
      this.log(
        run.runId
          ? `${run.workflow} v${run.version} ${run.nodeId}: started run ${run.runId} (flowforge runs show ${run.runId})`
          : `${run.workflow} v${run.version} ${run.nodeId}: triggered; the run did not show within 10 s (flowforge runs list --workflow ${run.workflow})`,
      );
    }
  }
}
