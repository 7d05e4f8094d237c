import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { controlSchedules, formatSchedules, scheduleJson } from '../schedules.ts';

export default class SchedulesResume extends FlowForgeCommand {
  static override summary = 'Resume every schedule of a workflow.';
  static override description = `JSON output: the workflow's schedules as schedules list --json prints them. A workflow
that is unknown, inactive or has no trigger.schedule node is FF_NOT_FOUND (exit 2).`;
  static override args = { workflow: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SchedulesResume);
    const schedules = await controlSchedules(this.client, 'resumeSchedule', args.workflow);
    if (flags.json) printJson(schedules.map(scheduleJson));
    else this.log(`${args.workflow}: resumed\n${formatSchedules(schedules)}`);
  }
}
