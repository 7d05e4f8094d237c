import { z } from '@flowforge/connectors-sdk';
import { RunViewSchema, type Trigger, TriggerSchema } from '@flowforge/connectors-sdk/contract';

/** The fields `runs list` asks the GraphQL `runs` query for. */
export const RUN_SUMMARY_FIELDS = 'runId status workflow { name version } trigger startedAt finishedAt';

/** One run as `runs list` shows it: the run view's summary and how the run was started. */
export const RunSummarySchema = RunViewSchema.pick({
  runId: true,
  status: true,
  workflow: true,
  startedAt: true,
  finishedAt: true,
}).extend({ trigger: TriggerSchema });
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunsAnswerSchema = z.object({ runs: z.array(RunSummarySchema) });

/** The `--json` shape (a contract): runId, status, workflow, trigger, startedAt, and finishedAt once ended. */
export function runSummaryJson(run: RunSummary) {
  return {
    runId: run.runId,
    status: run.status,
    workflow: run.workflow,
    trigger: run.trigger,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  };
}

/** A table, one run a line, newest first: the ids in full, so they can be pasted into runs show. */
export function formatRunList(runs: RunSummary[], workflow?: string): string {
  if (runs.length === 0) {
    return workflow
      ? `no runs of workflow "${workflow}" yet: flowforge run ${workflow}`
      : 'no runs yet: flowforge run <workflow>';
  }
  const rows = [
    ['RUN', 'STATUS', 'WORKFLOW', 'TRIGGER', 'STARTED', 'FINISHED'],
    ...runs.map((run) => [
      run.runId,
      run.status,
      `${run.workflow.name} v${run.workflow.version}`,
      triggerText(run.trigger),
      run.startedAt ?? '',
      run.finishedAt ?? '',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `manual by admin`, `retry of run-… by admin`, `child of run-…`, `error run of run-…`. */
export function triggerText(trigger: Trigger): string {
  const by = trigger.by ? ` by ${trigger.by}` : '';
  switch (trigger.kind) {
    case 'manual':
    case 'webhook':
    case 'schedule':
      return `${trigger.kind}${by}`;
    case 'retry':
      return `retry${trigger.retryOf ? ` of ${trigger.retryOf}` : ''}${by}`;
    case 'subworkflow':
      return `child${trigger.parentRun ? ` of ${trigger.parentRun}` : ''}`;
    case 'error':
      return `error run${trigger.parentRun ? ` of ${trigger.parentRun}` : ''}`;
    default: {
      const unknown: never = trigger.kind;
      return String(unknown);
    }
  }
}
