import { z } from '@flowforge/connectors-sdk';
import { type ScheduleView, ScheduleViewSchema, TriggeredScheduleSchema } from '@flowforge/connectors-sdk/contract';
import type { ControlPlaneClient } from './control-plane-client.ts';

export const SCHEDULE_FIELDS = 'workflow version nodeId scheduleId spec nextRuns paused note';

/** `schedules list --json` (a contract): exactly workflow, version, spec, nextRuns and paused. */
export function scheduleJson(schedule: ScheduleView) {
  const { workflow, version, spec, nextRuns, paused } = schedule;
  return { workflow, version, spec, nextRuns, paused };
}

export async function listSchedules(client: ControlPlaneClient, workflow?: string): Promise<ScheduleView[]> {
  const { schedules } = await client.request(
    `query ($w: String) { schedules(workflow: $w) { ${SCHEDULE_FIELDS} } }`,
    { w: workflow ?? null },
    z.object({ schedules: z.array(ScheduleViewSchema) }),
  );
  return schedules;
}

export type ScheduleMutation = 'pauseSchedule' | 'resumeSchedule';

export async function controlSchedules(
  client: ControlPlaneClient,
  mutation: ScheduleMutation,
  workflow: string,
  note?: string,
): Promise<ScheduleView[]> {
  const args = mutation === 'pauseSchedule' ? '(workflow: $w, note: $n)' : '(workflow: $w)';
  const data = await client.request(
    `mutation ($w: String!${mutation === 'pauseSchedule' ? ', $n: String' : ''}) { ${mutation}${args} { ${SCHEDULE_FIELDS} } }`,
    mutation === 'pauseSchedule' ? { w: workflow, n: note ?? null } : { w: workflow },
    z.object({ [mutation]: z.array(ScheduleViewSchema) } as Record<
      ScheduleMutation,
      z.ZodArray<typeof ScheduleViewSchema>
    >),
  );
  return data[mutation];
}

export async function triggerSchedules(client: ControlPlaneClient, workflow: string) {
  const { triggerSchedule } = await client.request(
    'mutation ($w: String!) { triggerSchedule(workflow: $w) { workflow version nodeId runId } }',
    { w: workflow },
    z.object({ triggerSchedule: z.array(TriggeredScheduleSchema) }),
  );
  return triggerSchedule;
}

/** One line per schedule: workflow, version, node, paused or the next time, and the spec. */
export function formatSchedules(schedules: ScheduleView[]): string {
  if (schedules.length === 0)
    return 'no schedules: activate a workflow with a trigger.schedule node (flowforge workflow activate <name>)';
  const width = Math.max(...schedules.map((s) => `${s.workflow} v${s.version} ${s.nodeId}`.length));
  return schedules
    .map((s) => {
      const name = `${s.workflow} v${s.version} ${s.nodeId}`.padEnd(width);
      const when = s.paused ? 'paused' : `next ${s.nextRuns[0] ?? '(none)'}`;
      const line = `${name}  ${when.padEnd(29)}  ${JSON.stringify(s.spec)}`;
      return s.note ? `${line}\n  note: ${s.note}` : line;
    })
    .join('\n');
}
