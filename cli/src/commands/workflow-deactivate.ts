import { z } from '@flowforge/connectors-sdk';
import { Args } from '@oclif/core';
import { ACTIVATION_FIELDS, ActivationSchema, formatActivation } from '../activation.ts';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';

export default class WorkflowDeactivate extends FlowForgeCommand {
  static override summary = 'Deactivate a workflow: its webhooks answer 404 and its schedules are deleted.';
  static override description =
    `Runs in progress go on. JSON output: { "workflow", "activeVersion": null, "previousVersion", "webhooks": [], "schedules": [] }`;
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowDeactivate);
    const { deactivateWorkflow } = await this.client.request(
      `mutation ($n: String!) { deactivateWorkflow(name: $n) { ${ACTIVATION_FIELDS} } }`,
      { n: args.name },
      z.object({ deactivateWorkflow: ActivationSchema }),
    );
    if (flags.json) printJson(deactivateWorkflow);
    else this.log(formatActivation(deactivateWorkflow));
  }
}
