import { z } from 'zod';
import { defineNodeType } from '../index.ts';

export const coreStopAndErrorType = defineNodeType({
  type: 'core.stopAndError',
  version: 1,
  group: 'flow',
  displayName: 'Stop and Error',
  description:
    'Fails the run on purpose with your message (error code FF_STOP_AND_ERROR), for example after an If that ' +
    'detects bad data. With onError "continue" or "errorOutput" on this node the error becomes an item instead.',
  params: z.object({
    message: z
      .string()
      .min(1, { error: 'say why the run stops' })
      .describe('The error message; may be an expression ("=Order {{ $json.id }} has no customer").'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  capabilities: { pure: true },
});
