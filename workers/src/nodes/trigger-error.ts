import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { runInputItems } from './trigger-manual.ts';

export const triggerError = defineNode({
  type: 'trigger.error',
  version: 1,
  displayName: 'Error Trigger',
  description:
    'Starts a workflow that another workflow names in settings.errorWorkflow, when a run of that workflow fails. ' +
    'Outputs one item: { run: { id, workflow, version }, node: { id, type } (the node that failed; null when the ' +
    'run failed outside a node), error: { code, message, hint? }, input: { runId, hash, value? }, failedAt }. ' +
    "input.value is the failed run's input when its JSON is at most 16 KiB; otherwise read it with the run id. " +
    'Run by hand (flowforge run), it outputs the run input like the manual trigger.',
  params: z.object({}).describe('The error trigger takes no parameters.'),
  inputs: [],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    return { main: runInputItems(ctx.run.input) };
  },
});
