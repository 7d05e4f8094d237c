import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const coreNoopType = defineNodeType({
  type: 'core.noop',
  version: 1,
  group: 'flow',
  displayName: 'No Operation',
  description:
    'Passes its items through unchanged. Useful as a named join point, a placeholder while building, or the ' +
    'end of a branch that should be visible in the run view.',
  params: z.object({}).describe('No parameters.'),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
