import { FlowForgeError, z } from '@flowforge/connectors-sdk';
import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { DIFF_FIELDS, formatDiff, WorkflowDiffSchema } from '../versions.ts';

export default class WorkflowDiff extends FlowForgeCommand {
  static override summary = 'Show what changed between two versions of a workflow.';
  static override description = `From version a to version b (either order). JSON output (a contract):
{ "nodes": { "added": [ids], "removed": [ids], "changed": [{ "id", "paths": ["params.values.total", "type", ...] }] },
  "edges": { "added": [{ "from", "fromPort", "to", "toPort" }], "removed": [...] },
  "settings": { "changed": ["timeout", ...] } }
Without --json: + added, - removed, ~ changed lines (edges as from:port->to:port).`;
  static override examples = ['<%= config.bin %> workflow diff orders 1 3 --json'];
  static override args = {
    name: Args.string({ description: 'the workflow name', required: true }),
    a: Args.string({ description: 'the older version (a number)', required: true }),
    b: Args.string({ description: 'the newer version (a number)', required: true }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowDiff);
    const a = versionNumber(args.a, 'a');
    const b = versionNumber(args.b, 'b');
    const { workflowDiff } = await this.client.request(
      `query ($n: String!, $a: Int!, $b: Int!) { workflowDiff(name: $n, from: $a, to: $b) { ${DIFF_FIELDS} } }`,
      { n: args.name, a, b },
      z.object({ workflowDiff: WorkflowDiffSchema }),
    );
    if (flags.json) printJson(workflowDiff);
    else this.log(formatDiff(args.name, a, b, workflowDiff));
  }
}

/** `3` or `v3`; anything else is FF_BAD_INPUT (exit 2) naming the argument. */
function versionNumber(text: string, arg: string): number {
  const match = /^v?([1-9]\d{0,8})$/.exec(text);
  if (match?.[1]) return Number(match[1]);
  throw new FlowForgeError('FF_BAD_INPUT', `version ${arg} must be a version number (1, 2, ...), not "${text}"`, {
    path: [arg],
    hint: 'flowforge workflow versions <name> lists the versions',
  });
}
