import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const triggerErrorType = defineNodeType({
  type: 'trigger.error',
  version: 1,
  group: 'trigger',
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
  capabilities: { trigger: true, pure: true },
});
