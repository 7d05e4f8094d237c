import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { controlSchedules, formatSchedules, scheduleJson } from '../schedules.ts';

export default class SchedulesPause extends FlowForgeCommand {
  static override summary = 'Pause every schedule of a workflow: no run starts on time until it is resumed.';
  static override description = `JSON output: the workflow's schedules as schedules list --json prints them. A workflow
that is unknown, inactive or has no trigger.schedule node is FF_NOT_FOUND (exit 2).`;
  static override args = { workflow: Args.string({ description: 'the workflow name', required: true }) };
  static override flags = { note: Flags.string({ description: 'why (shown by Temporal with the schedule)' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SchedulesPause);
    const schedules = await controlSchedules(this.client, 'pauseSchedule', args.workflow, flags.note);
    if (flags.json) printJson(schedules.map(scheduleJson));
    else
      this.log(
        `${args.workflow}: paused: no run starts on time; go on with: flowforge schedules resume ${args.workflow}\n${formatSchedules(schedules)}`,
      );
  }
}
