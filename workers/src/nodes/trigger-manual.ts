import { defineNode, toItems } from '@flowforge/connectors-sdk';
import { z } from 'zod';

export const triggerManual = defineNode({
  type: 'trigger.manual',
  version: 1,
  displayName: 'Manual Trigger',
  description:
    'Starts a run by hand (GraphQL, the CLI or the builder) and outputs the run input: an object becomes one ' +
    'item, an array of objects one item each, and no input one empty item, so the nodes after it always run.',
  params: z.object({}).describe('The manual trigger takes no parameters.'),
  inputs: [],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute(ctx) {
    return { main: runInputItems(ctx.run.input) };
  },
});

/** A trigger's output: the run input as items, and one empty item when there is none. */
export function runInputItems(input: unknown) {
  const items = toItems(input);
  return items.length > 0 ? items : [{ json: {} }];
}
