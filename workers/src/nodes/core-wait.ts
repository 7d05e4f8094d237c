import { DurationSchema, defineNode, durationToMs } from '@flowforge/connectors-sdk';
import { z } from 'zod';

export const coreWait = defineNode({
  type: 'core.wait',
  version: 1,
  displayName: 'Wait',
  description:
    'Pauses the run durably, for a duration ("30s", "5m", "2d") or until a date, then passes its items on ' +
    'unchanged. The wait is a Temporal timer: it costs nothing while it lasts and survives restarts. A date in ' +
    'the past does not wait.',
  params: z
    .object({
      for: DurationSchema.optional().describe('How long to wait: "30s", "5m", "2h", "3d", "1w".'),
      until: z
        .string()
        .refine((value) => !Number.isNaN(Date.parse(value)), {
          error: 'until is a date and time, like "2030-01-31T09:00:00Z"',
        })
        .optional()
        .describe('When to go on: an ISO date-time or an expression ("={{ $now.plus({ days: 1 }) }}").'),
    })
    .refine((params) => (params.for === undefined) !== (params.until === undefined), {
      error: 'set exactly one of "for" (a duration like "5m") and "until" (a date-time)',
    }),
  inputs: ['main'],
  outputs: ['main'],
  // Short on purpose: the activity only computes the time; the wait itself is a timer in the workflow.
  defaultTimeout: '30s',
  execute(ctx) {
    const { for: duration, until } = ctx.params;
    const target = duration !== undefined ? new Date(Date.now() + durationToMs(duration)) : new Date(until ?? 0);
    if (target.getTime() > Date.now()) ctx.waitUntil(target);
    return { main: ctx.items };
  },
});
