import { formatApprovals, listApprovals } from '../approvals.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class ApprovalsList extends FlowForgeCommand {
  static override summary = 'List the runs waiting for an approval you may give.';
  static override description =
    `JSON output: [{ "runId", "workflow": { "name", "version" }, "nodeId", "message", "roles",
"users", "fields", "onTimeout", "since", "until" }], oldest first.`;

  async run(): Promise<void> {
    const { flags } = await this.parse(ApprovalsList);
    const approvals = await listApprovals(this.client);
    if (flags.json) printJson(approvals);
    else this.log(formatApprovals(approvals));
  }
}
