import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { controlledRunJson, controlRun } from '../run-control.ts';

export default class RunsResume extends FlowForgeCommand {
  static override summary = 'Resume a paused run: ready nodes start again.';
  static override description =
    `Resuming a run that is not paused changes nothing. JSON output: { "runId", "status", "workflow",
"nodes", "paused" }. A run that has ended cannot be resumed (FF_RUN_STATE, exit 1).`;
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsResume);
    const run = await controlRun(this.client, 'resumeRun', args.runId);
    if (flags.json) printJson(controlledRunJson(run));
    else this.log(`run ${run.runId} resumed (${run.status}); see it with: flowforge runs show ${run.runId}`);
  }
}
