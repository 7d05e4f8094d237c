import { implementNode } from '@flowforge/connectors-sdk';
import { triggerScheduleType } from '@flowforge/connectors-sdk/builtin';
import { runInputItems } from './trigger-manual.ts';

/**
 * A scheduled run's triggers get { scheduledAt, firedAt, timezone } as the run input: the verification
 * makes it from Temporal's record of the run (activities/verify-scheduled-run.ts) and runDag passes it on.
 */
export const triggerSchedule = implementNode(triggerScheduleType, (ctx) => ({ main: runInputItems(ctx.run.input) }));
