import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { controlledRunJson, controlRun } from '../run-control.ts';

export default class RunsPause extends FlowForgeCommand {
  static override summary = 'Pause a running run: running nodes finish, no new node starts until it is resumed.';
  static override description =
    `The run stays RUNNING with "paused": true. JSON output: { "runId", "status", "workflow", "nodes",
"paused" }. A run that has ended cannot be paused (FF_RUN_STATE, exit 1).`;
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsPause);
    const run = await controlRun(this.client, 'pauseRun', args.runId);
    if (flags.json) printJson(controlledRunJson(run));
    else
      this.log(
        `run ${run.runId} paused: running nodes finish, no new node starts; go on with: flowforge runs resume ${run.runId}`,
      );
  }
}
