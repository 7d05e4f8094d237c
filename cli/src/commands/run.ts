import { FlowForgeError, z } from '@flowforge/connectors-sdk';
import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { resolveConnection } from '../cli-config.ts';
import { exitCodeOfRun } from '../exit-codes.ts';
import { formatRun, printJson, progress } from '../output.ts';
import { pushDefinition } from '../push.ts';
import { parseJsonFlag, readJsonFile } from '../read-json.ts';
import { RunViewSchema, runJson } from '../run-view.ts';
import { followRun } from '../run-watch.ts';
import { waitForRun } from '../wait-for-run.ts';

export default class RunCommand extends FlowForgeCommand {
  static override summary = 'Start a run of a workflow (optionally pushing its file first) and optionally wait for it.';
  static override description =
    `Without --wait prints { "runId", "status": "RUNNING" } at once. With --wait --json prints
{ "runId", "status", "workflow": { "name", "version" }, "nodes": { "<id>": { "status", "output": { "<port>": [items] },
"attempts", "error"? } } } once the run ended; progress lines go to stderr. Exit code 0 COMPLETED, 1 FAILED, CANCELLED or
TIMED_OUT, 2 bad input. With --follow prints what runs watch prints (--json: one event per line) and exits as --wait.`;
  static override examples = [
    `<%= config.bin %> run hello --input '{"name":"Ada"}' --wait --json`,
    '<%= config.bin %> run --file examples/etl.json --input-file examples/inputs/etl.json --wait',
  ];
  static override args = {
    workflow: Args.string({ description: 'workflow name (optional with --file: the file names it)' }),
  };
  static override flags = {
    version: Flags.integer({ description: 'run this version (default: the latest)', min: 1 }),
    input: Flags.string({ description: 'the run input as JSON', exclusive: ['input-file'] }),
    'input-file': Flags.string({ description: 'read the run input from a JSON file' }),
    file: Flags.string({ description: 'push this workflow file first, then run the version it got' }),
    wait: Flags.boolean({ description: 'wait for the run to end and print its result', exclusive: ['follow'] }),
    follow: Flags.boolean({
      description: 'follow the run live until it ends, as runs watch does (--json: one event per line)',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunCommand);
    const input =
      flags.input !== undefined
        ? parseJsonFlag(flags.input, '--input')
        : flags['input-file'] !== undefined
          ? readJsonFile(flags['input-file'], 'input file')
          : undefined;
    let workflow = args.workflow;
    let version = flags.version;
    if (flags.file) {
      if (version !== undefined) throw usage('--version cannot be used with --file (the pushed version runs)');
      const pushed = await pushDefinition(this.client, readJsonFile(flags.file, 'workflow file'));
      if (workflow && workflow !== pushed.workflow) {
        throw usage(`the file defines workflow "${pushed.workflow}", not "${workflow}"`);
      }
      progress(`${pushed.workflow}: ${pushed.created ? 'pushed as' : 'unchanged,'} version ${pushed.version}`);
      workflow = pushed.workflow;
      version = pushed.version;
    }
    if (!workflow) throw usage('name the workflow to run, or give its file with --file');

    const { startRun } = await this.client.request(
      'mutation ($w: String!, $v: Int, $i: JSON) { startRun(workflow: $w, version: $v, input: $i) { runId status } }',
      { w: workflow, v: version ?? null, i: input ?? null },
      z.object({ startRun: RunViewSchema.pick({ runId: true, status: true }) }),
    );
    if (flags.follow) {
      progress(`run ${startRun.runId} started; following it`);
      this.exit(await followRun(this.client, resolveConnection(), startRun.runId, flags.json));
    }
    if (!flags.wait) {
      if (flags.json) printJson({ runId: startRun.runId, status: startRun.status });
      else
        this.log(
          `run ${startRun.runId} started (${startRun.status}); see it with: flowforge runs show ${startRun.runId}`,
        );
      return;
    }
    progress(`run ${startRun.runId} started; waiting for it to end`);
    const run = await waitForRun(this.client, startRun.runId);
    if (flags.json) printJson(runJson(run));
    else this.log(formatRun(run));
    this.exit(exitCodeOfRun(run.status));
  }
}

function usage(message: string): FlowForgeError {
  return new FlowForgeError('FF_BAD_INPUT', message, { hint: 'see flowforge run --help' });
}
