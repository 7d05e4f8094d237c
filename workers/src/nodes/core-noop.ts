import { defineNode } from '@flowforge/connectors-sdk';
import { z } from 'zod';

export const coreNoop = defineNode({
  type: 'core.noop',
  version: 1,
  displayName: 'No Operation',
  description:
    'Passes its items through unchanged. Useful as a named join point, a placeholder while building, or the ' +
    'end of a branch that should be visible in the run view.',
  params: z.object({}).describe('No parameters.'),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    return { main: ctx.items };
  },
});
