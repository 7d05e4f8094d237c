import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { exitCodeOfRun } from '../exit-codes.ts';
import { formatRun, printJson, progress } from '../output.ts';
import { controlRun } from '../run-control.ts';
import { runJson } from '../run-view.ts';
import { waitForRun } from '../wait-for-run.ts';

export default class RunsRetry extends FlowForgeCommand {
  static override summary =
    'Retry a run that FAILED, was CANCELLED or TIMED_OUT: a new run of the same version and input that reuses the outputs of the nodes that succeeded.';
  static override description =
    `Only the nodes that did not succeed (and those after them) run again. Without --wait prints
{ "runId", "status": "RUNNING", "retryOf", "reused": [nodeIds] } at once; with --wait --json the new run in run --wait's shape plus
"retryOf" and "reused", with run --wait's exit codes. A run that is RUNNING or COMPLETED cannot be retried (FF_RUN_STATE, exit 1).`;
  static override args = { runId: Args.string({ description: 'the id of the run to retry', required: true }) };
  static override flags = { wait: Flags.boolean({ description: 'wait for the new run to end and print its result' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsRetry);
    const started = await controlRun(this.client, 'retryRun', args.runId);
    const reused = started.reused.length > 0 ? started.reused.join(', ') : 'none';
    if (!flags.wait) {
      if (flags.json) {
        printJson({ runId: started.runId, status: started.status, retryOf: args.runId, reused: started.reused });
      } else {
        this.log(`run ${started.runId} started as a retry of ${args.runId}`);
        this.log(`  reused (not run again): ${reused}`);
        this.log(`  see it with: flowforge runs show ${started.runId}`);
      }
      return;
    }
    progress(`run ${started.runId} started as a retry of ${args.runId}; reused (not run again): ${reused}`);
    const run = await waitForRun(this.client, started.runId);
    if (flags.json) printJson({ ...runJson(run), retryOf: args.runId, reused: started.reused });
    else this.log(`${formatRun(run)}\n  reused from ${args.runId}: ${reused}`);
    this.exit(exitCodeOfRun(run.status));
  }
}
