import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson, progress } from '../output.ts';
import { pushDefinition } from '../push.ts';
import { readJsonFile } from '../read-json.ts';

export default class WorkflowPush extends FlowForgeCommand {
  static override summary = 'Push a workflow file: a new version when its content changed.';
  static override description =
    `Validates the file on the control plane (every problem is printed with its code and path;
exit 2) and stores it as a new immutable version, with --message if given. Pushing the same content
again keeps the version (and does not store the message). An archived workflow refuses pushes
(FF_ARCHIVED, exit 1).
JSON output: { "workflow": "<name>", "version": <n>, "hash": "sha256:..." }`;
  static override examples = [
    '<%= config.bin %> workflow push examples/hello.json --json',
    '<%= config.bin %> workflow push orders.json --message "round totals to cents"',
  ];
  static override args = { file: Args.string({ description: 'the workflow file (JSON)', required: true }) };
  static override flags = {
    message: Flags.string({
      char: 'm',
      description: 'what changed in this version (stored with it; at most 2000 characters)',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowPush);
    const result = await pushDefinition(this.client, readJsonFile(args.file, 'workflow file'), flags.message);
    if (!result.created && flags.message) {
      progress(
        `the message was not stored: version ${result.version} has this content already, and versions do not change`,
      );
    }
    if (flags.json) {
      printJson({ workflow: result.workflow, version: result.version, hash: result.hash });
      return;
    }
    const what = result.created ? 'pushed as version' : 'unchanged: still version';
    this.log(`${result.workflow}: ${what} ${result.version}  ${result.hash}`);
  }
}
