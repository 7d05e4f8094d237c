import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const triggerManualType = defineNodeType({
  type: 'trigger.manual',
  version: 1,
  group: 'trigger',
  displayName: 'Manual Trigger',
  description:
    'Starts a run by hand (GraphQL, the CLI or the builder) and outputs the run input: an object becomes one ' +
    'item, an array of objects one item each, and no input one empty item, so the nodes after it always run.',
  params: z.object({}).describe('The manual trigger takes no parameters.'),
  inputs: [],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { trigger: true, pure: true },
});
