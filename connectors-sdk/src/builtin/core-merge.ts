import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { DotPathSchema } from './dot-path.ts';

const EXTRA_INPUTS = /^in([3-9]|[1-9]\d)$/;

const MergeParamsSchema = z
  .object({
    mode: z
      .enum(['append', 'combineByKey', 'combineByPosition', 'chooseBranch'])
      .default('append')
      .describe(
        '"append": all items, input by input; "combineByKey": join in1 and in2 on a field; ' +
          '"combineByPosition": merge the i-th items of every input; "chooseBranch": the items of one input.',
      ),
    key: DotPathSchema.optional().describe('combineByKey: the field (dot path) whose values must be equal.'),
    join: z
      .enum(['inner', 'left', 'outer'])
      .default('inner')
      .describe(
        'combineByKey/combineByPosition: "inner" keeps only matches, "left" every in1 item, "outer" every item.',
      ),
    branch: z
      .string()
      .regex(/^in[1-9]\d*$/, { error: 'branch is an input port name, like "in2"' })
      .optional()
      .describe('chooseBranch: the input whose items pass ("in2"); default the first input that has items.'),
  })
  .refine((params) => params.mode !== 'combineByKey' || params.key !== undefined, {
    error: 'mode "combineByKey" needs "key": the field to match items of in1 and in2 on, like "id"',
    path: ['key'],
  });

export type MergeParams = z.infer<typeof MergeParamsSchema>;

export const coreMergeType = defineNodeType({
  type: 'core.merge',
  version: 1,
  group: 'flow',
  displayName: 'Merge',
  description:
    'Waits for its inputs (in1, in2, and in3... when connected) and combines their items: appends them, joins ' +
    'in1 and in2 on a key field, merges items by position, or passes one input through. Inputs whose branch ' +
    'did not run are left out, so a merge after an If still runs with the branch that fired.',
  params: MergeParamsSchema,
  inputs: ['in1', 'in2'],
  extraInputs: EXTRA_INPUTS,
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
