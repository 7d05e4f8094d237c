import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { formatRun, printJson } from '../output.ts';
import { controlledRunJson, controlRun } from '../run-control.ts';

export default class RunsCancel extends FlowForgeCommand {
  static override summary = 'Cancel a running run: its running nodes are cancelled and it ends CANCELLED.';
  static override description =
    `Waits (up to 10 s) for the run to end and prints it. JSON output: { "runId", "status", "workflow",
"nodes", "paused" }. A run that has already ended cannot be cancelled (FF_RUN_STATE, exit 1).`;
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsCancel);
    const run = await controlRun(this.client, 'cancelRun', args.runId);
    if (flags.json) printJson(controlledRunJson(run));
    else this.log(formatRun(run));
  }
}
