import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { fetchNodeTypes, formatNodeList, nodeTypeJson } from '../node-catalogue.ts';
import { printJson } from '../output.ts';

export default class NodesList extends FlowForgeCommand {
  static override summary = 'List the node types workflows may use: built-in ones and those the workers offer.';
  static override description = `The built-in types, then the types only the task queue's workers offer (from the node
packages they load, FLOWFORGE_NODE_PACKAGES). JSON output: [{ "type", "displayName", "description", "group",
"version", "defaultTimeout", "inputs", "dynamicInputs", "outputs", "dynamicOutputs", "credentials", "capabilities",
"literalParams", "source" }] ("source": "builtin" or "worker"; no paramsSchema: see nodes show).`;
  static override flags = {
    'task-queue': Flags.string({ description: "the task queue whose workers to ask (default: the control plane's)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NodesList);
    const nodes = await fetchNodeTypes(this.client, flags['task-queue']);
    if (flags.json) printJson(nodes.map((node) => nodeTypeJson(node, false)));
    else this.log(formatNodeList(nodes));
  }
}
