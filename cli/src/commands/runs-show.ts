import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { exitCodeOfRun } from '../exit-codes.ts';
import { formatRun, printJson } from '../output.ts';
import { runJson } from '../run-view.ts';
import { fetchRun } from '../wait-for-run.ts';

export default class RunsShow extends FlowForgeCommand {
  static override summary = 'Show a run: its status and every started node.';
  static override description = `JSON output: the same shape as run --wait --json. Exit code 1 when the run FAILED, was
CANCELLED or TIMED_OUT; 0 otherwise.`;
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsShow);
    const run = await fetchRun(this.client, args.runId);
    if (flags.json) printJson(runJson(run));
    else this.log(formatRun(run));
    this.exit(exitCodeOfRun(run.status));
  }
}
