import { decide, decisionArgs, decisionFlags } from '../approvals.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { formatRun, printJson } from '../output.ts';
import { runJson } from '../run-view.ts';

export default class Reject extends FlowForgeCommand {
  static override summary = 'Reject a run waiting for an approval: its items go on to the "rejected" port.';
  static override description = `JSON output: the run as runs show --json prints it, just after the decision. Refused
decisions (FF_FORBIDDEN: you lack the role; FF_APPROVAL_INVALID: a field is missing or of the wrong type) leave the run
waiting; exit 1 (2 for bad arguments).`;
  static override examples = [
    '<%= config.bin %> reject run-1234 --comment "ok" --field amount=120',
    '<%= config.bin %> reject run-1234 --node manager --json',
  ];
  static override args = decisionArgs;
  static override flags = decisionFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Reject);
    const run = await decide(this.client, 'reject', args.runId, flags);
    if (flags.json) printJson(runJson(run));
    else this.log(formatRun(run));
  }
}
