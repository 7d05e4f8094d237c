import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { DurationSchema, defineNodeType, type ScheduleSpec } from '../index.ts';

/** Five fields (minute hour day-of-month month day-of-week): the cron Temporal Schedules take. */
const CronSchema = z.string().superRefine((cron, context) => {
  if (cron.trim().split(/\s+/).length !== 5) {
    context.addIssue({ code: 'custom', message: `"${cron}" is not five cron fields, like "0 9 * * 1-5"` });
    return;
  }
  try {
    CronExpressionParser.parse(cron, { strict: false });
  } catch (error) {
    context.addIssue({ code: 'custom', message: `"${cron}" is not a cron expression: ${(error as Error).message}` });
  }
});

const TimezoneSchema = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'an IANA time zone name, like "UTC" or "Europe/Berlin"' },
);

const ScheduleParamsSchema = z
  .strictObject({
    cron: z
      .union([CronSchema, z.array(CronSchema).min(1)])
      .optional()
      .describe('When to run: a cron expression ("0 9 * * 1-5") or several.'),
    every: DurationSchema.optional().describe('Or run every so often: "15m", "1h", "1d".'),
    timezone: TimezoneSchema.default('UTC').describe('The time zone the cron expressions are read in.'),
    overlap: z
      .enum(['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'allowAll'])
      .default('skip')
      .describe(
        'When a run is still going at the next time: skip it (default), buffer one or all, cancel the other, or allow all.',
      ),
    catchupWindow: DurationSchema.optional().describe('How far back missed times (Temporal down) are still run.'),
  })
  .refine((params) => (params.cron === undefined) !== (params.every === undefined), {
    error: 'set exactly one of "cron" (like "0 9 * * 1-5") and "every" (like "15m")',
    path: ['cron'],
  });

export const triggerScheduleType = defineNodeType({
  type: 'trigger.schedule',
  version: 1,
  group: 'trigger',
  displayName: 'Schedule',
  description:
    'Starts a run on a schedule while a version of its workflow is active (flowforge workflow activate): a Temporal ' +
    'Schedule made at activation and deleted at deactivation. Outputs one item { scheduledAt, firedAt, timezone }.',
  params: ScheduleParamsSchema,
  inputs: [],
  outputs: ['main'],
  defaultTimeout: '30s',
  literalParams: ['cron', 'every', 'timezone', 'overlap', 'catchupWindow'],
  capabilities: {
    trigger: true,
    pure: true,
    schedule: (params): ScheduleSpec => {
      const { cron, ...rest } = ScheduleParamsSchema.parse(params);
      return { ...rest, ...(cron !== undefined ? { cron: typeof cron === 'string' ? [cron] : cron } : {}) };
    },
  },
});
