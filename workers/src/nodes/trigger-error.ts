import { implementNode } from '@flowforge/connectors-sdk';
import { triggerErrorType } from '@flowforge/connectors-sdk/builtin';
import { runInputItems } from './trigger-manual.ts';

export const triggerError = implementNode(triggerErrorType, (ctx) => {
  return { main: runInputItems(ctx.run.input) };
});
