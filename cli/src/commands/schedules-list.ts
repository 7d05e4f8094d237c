import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { formatSchedules, listSchedules, scheduleJson } from '../schedules.ts';

export default class SchedulesList extends FlowForgeCommand {
  static override summary =
    "List the active workflows' schedules (one per trigger.schedule node), as Temporal has them.";
  static override description =
    `JSON output: [{ "workflow", "version", "spec", "nextRuns": [ISO times], "paused" }]; spec is
the trigger node's parameters as the workflow file wrote them, version the one the schedule starts.`;
  static override examples = [
    '<%= config.bin %> schedules list --json',
    '<%= config.bin %> schedules list --workflow nightly',
  ];
  static override flags = { workflow: Flags.string({ description: "only this workflow's schedules" }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(SchedulesList);
    const schedules = await listSchedules(this.client, flags.workflow);
    if (flags.json) printJson(schedules.map(scheduleJson));
    else this.log(formatSchedules(schedules));
  }
}
