import { z } from 'zod';
import { defineNodeType, WorkflowNameSchema } from '../index.ts';

export const coreExecuteWorkflowType = defineNodeType({
  type: 'core.executeWorkflow',
  version: 1,
  group: 'flow',
  displayName: 'Execute Workflow',
  description:
    'Runs another published workflow as a child run (a Temporal child workflow) and, with wait (the default), ' +
    "outputs the child's result: the items of the node(s) its run ended in. The child's input is `input`, or the " +
    'first input item when absent; it runs once per execution of this node (put the node in a core.loop with ' +
    'batchSize 1 to run it per item). The workflow and version are resolved and signed when the top-level run ' +
    'starts (no version: the latest then), so they must be written as values, not expressions. Cancelling the run ' +
    'cancels the child; a failed child fails this node (FF_CHILD_RUN_FAILED, its onError decides). wait: false ' +
    'starts the child and outputs { runId, workflow, version } at once; the child then outlives this run. A chain ' +
    'of child runs stops at depth 8 (a workflow that calls itself fails instead of running forever).',
  params: z.object({
    workflow: WorkflowNameSchema.describe('The workflow to run: its name, as pushed.'),
    version: z.int().min(1).optional().describe('A published version; absent: the latest when the run started.'),
    input: z.unknown().optional().describe("The child run's input; absent: the first input item's json."),
    wait: z.boolean().default(true).describe("true: wait for the child and output its result; false: don't."),
  }),
  inputs: ['main'],
  outputs: ['main'],
  // Only the request is computed here; the child run itself is a child workflow of the run.
  defaultTimeout: '30s',
  literalParams: ['workflow', 'version'],
  capabilities: {
    linkedWorkflows: (params) => [
      { workflow: params.workflow as string, version: params.version as number | undefined },
    ],
  },
});
