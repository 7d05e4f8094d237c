import { z } from '@flowforge/connectors-sdk';
import { Args, Flags } from '@oclif/core';
import { ACTIVATION_FIELDS, ActivationSchema, formatActivation } from '../activation.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class WorkflowActivate extends FlowForgeCommand {
  static override summary = 'Activate a workflow version: its webhooks and schedules start runs of it.';
  static override description =
    `Makes the version (the latest by default) the one the workflow's triggers start; activating
another version switches over at once, which is also how to roll back. A webhook route another active
workflow holds refuses the activation (FF_CONFLICT, exit 1, naming the other workflow).
JSON output: { "workflow", "activeVersion", "previousVersion", "webhooks": [{ "method", "path", "nodeId", "url" }], "schedules": [...] }`;
  static override examples = [
    '<%= config.bin %> workflow activate orders --json',
    '<%= config.bin %> workflow activate orders --version 3',
  ];
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };
  static override flags = {
    version: Flags.integer({ description: 'the version to activate (default: the latest)', min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowActivate);
    const { activateWorkflow } = await this.client.request(
      `mutation ($n: String!, $v: Int) { activateWorkflow(name: $n, version: $v) { ${ACTIVATION_FIELDS} } }`,
      { n: args.name, v: flags.version ?? null },
      z.object({ activateWorkflow: ActivationSchema }),
    );
    if (flags.json) printJson(activateWorkflow);
    else this.log(formatActivation(activateWorkflow));
  }
}
