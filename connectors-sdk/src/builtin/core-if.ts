import { z } from 'zod';
import { defineNodeType } from '../index.ts';
import { ConditionSchema } from './condition.ts';

export const coreIfType = defineNodeType({
  type: 'core.if',
  version: 1,
  group: 'flow',
  displayName: 'If',
  description:
    'Splits items in two by a condition evaluated for each item: items for which it is truthy go to the ' +
    '"true" port, the others to "false". A port that gets no items does not fire, so the nodes behind it are skipped.',
  params: z.object({ condition: ConditionSchema }),
  inputs: ['main'],
  outputs: ['true', 'false'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
