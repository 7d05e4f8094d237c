import { implementNode } from '@flowforge/connectors-sdk';
import { triggerScheduleType } from '@flowforge/connectors-sdk/builtin';
import { runInputItems } from './trigger-manual.ts';

/** runDag gives a scheduled run's trigger { scheduledAt, firedAt, timezone } as its input (workflows/scheduled-runs.ts). */
export const triggerSchedule = implementNode(triggerScheduleType, (ctx) => ({ main: runInputItems(ctx.run.input) }));
