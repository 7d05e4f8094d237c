import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { fetchNodeType, formatNodeType, nodeTypeJson } from '../node-catalogue.ts';
import { printJson } from '../output.ts';

export default class NodesShow extends FlowForgeCommand {
  static override summary = 'Show one node type: what it does, its ports and its parameters.';
  static override description = `JSON output: the type as in nodes list, plus "paramsSchema" (the JSON Schema of its
params, as a workflow file writes them). An unknown type exits 2 (FF_NOT_FOUND) and names the known ones.`;
  static override examples = [
    '<%= config.bin %> nodes show http.request',
    '<%= config.bin %> nodes show core.set --json',
  ];
  static override args = { type: Args.string({ description: 'the node type, like core.set', required: true }) };
  static override flags = {
    'task-queue': Flags.string({ description: "the task queue whose workers to ask (default: the control plane's)" }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodesShow);
    const node = await fetchNodeType(this.client, args.type, flags['task-queue']);
    if (flags.json) printJson(nodeTypeJson(node, true));
    else this.log(formatNodeType(node));
  }
}
