import { validateWorkflow } from '@flowforge/connectors-sdk';
import { builtinTypeRegistry, triggerScheduleType } from '@flowforge/connectors-sdk/builtin';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { triggerSchedule } from './trigger-schedule.ts';

describe('trigger.schedule', () => {
  it('outputs the item runDag gives a scheduled run', async () => {
    const fired = { scheduledAt: '2030-01-01T09:00:00.000Z', firedAt: '2030-01-01T09:00:00.120Z', timezone: 'UTC' };
    const result = await runNodeForTest(triggerSchedule, { params: { cron: '0 9 * * 1-5' }, runInput: fired });
    expect(jsonOf(result)).toEqual([fired]);
  });

  it('gives activation its spec: cron as a list, defaults filled in', () => {
    expect(triggerScheduleType.capabilities?.schedule?.({ cron: '*/5 * * * *', timezone: 'Europe/Berlin' })).toEqual({
      cron: ['*/5 * * * *'],
      timezone: 'Europe/Berlin',
      overlap: 'skip',
    });
    expect(triggerScheduleType.capabilities?.schedule?.({ every: '15m', overlap: 'bufferOne' })).toEqual({
      every: '15m',
      timezone: 'UTC',
      overlap: 'bufferOne',
    });
  });

  it('refuses at push a bad cron (naming the field), a bad time zone, and both or neither of cron and every', () => {
    const check = (params: Record<string, unknown>) => {
      const result = validateWorkflow(
        { schemaVersion: 1, name: 'tick', nodes: [{ id: 'tick', type: 'trigger.schedule', params }] },
        builtinTypeRegistry,
      );
      return result.ok ? [] : result.issues.map((issue) => [issue.path.slice(3).join('.'), issue.message]);
    };
    expect(check({ cron: ['0 9 * * 1-5', '30 17 * * *'] })).toEqual([]);
    expect(check({ cron: '61 * * * *' })).toEqual([
      ['cron', expect.stringContaining('"61 * * * *" is not a cron expression')],
    ]);
    expect(check({ cron: '0 9 * *' })).toEqual([['cron', expect.stringContaining('not five cron fields')]]);
    expect(check({ every: '5m', timezone: 'Mars/Olympus' })).toEqual([['timezone', expect.stringContaining('IANA')]]);
    expect(check({ cron: '0 9 * * *', every: '5m' })).toEqual([['cron', expect.stringContaining('exactly one')]]);
    expect(check({})).toEqual([['cron', expect.stringContaining('exactly one')]]);
  });
});
