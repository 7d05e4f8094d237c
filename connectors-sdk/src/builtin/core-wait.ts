import { z } from 'zod';
import { DurationSchema, defineNodeType } from '../index.ts';

export const coreWaitType = defineNodeType({
  type: 'core.wait',
  version: 1,
  group: 'flow',
  displayName: 'Wait',
  description:
    'Pauses the run durably, for a duration ("30s", "5m", "2d") or until a date, then passes its items on ' +
    'unchanged. The wait is a Temporal timer: it costs nothing while it lasts and survives restarts. A date in ' +
    'the past does not wait. With resume: "webhook" the run waits (nothing polls) until someone POSTs to the ' +
    "node's signed single-use resume URL (/webhook/resume/<token>, shown in the run view and by flowforge runs " +
    'show); the JSON body becomes the output (an object: one item, an array: one item per element). Past its ' +
    '"timeout" the node fails with FF_RESUME_TIMEOUT (its onError setting decides what follows).',
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
      resume: z
        .literal('webhook')
        .optional()
        .describe('"webhook": wait for a POST to the resume URL; its JSON body becomes the output.'),
      timeout: DurationSchema.optional().describe(
        'With resume: how long to wait for the POST before the node fails (FF_RESUME_TIMEOUT); absent: no limit.',
      ),
    })
    .refine((params) => [params.for, params.until, params.resume].filter((value) => value !== undefined).length === 1, {
      error: 'set exactly one of "for" (a duration like "5m"), "until" (a date-time) and "resume" ("webhook")',
    })
    .refine((params) => params.timeout === undefined || params.resume !== undefined, {
      error: '"timeout" belongs to resume: "webhook"; a timed wait uses "for" or "until"',
      path: ['timeout'],
    }),
  inputs: ['main'],
  outputs: ['main'],
  // Short on purpose: the activity only computes the time; the wait itself is a timer in the workflow.
  defaultTimeout: '30s',
  capabilities: { durableWait: true },
});
