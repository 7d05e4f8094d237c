import { z } from '@flowforge/connectors-sdk';
import { type RunView, RunViewSchema } from '@flowforge/connectors-sdk/contract';

export { type NodeWaitView as NodeWait, type RunView, RunViewSchema } from '@flowforge/connectors-sdk/contract';

export const RUN_VIEW_FIELDS = 'runId status workflow { name version } nodes error note paused errorRun trigger';

/**
 * The `--json` shape of a run (a contract): runId, status, workflow, then `trigger` for a run not
 * started by hand (a schedule's, a webhook's, a retry, a child or error run), then nodes.
 */
export function runJson(run: RunView) {
  const trigger = run.trigger && run.trigger.kind !== 'manual' ? { trigger: run.trigger } : {};
  return { runId: run.runId, status: run.status, workflow: run.workflow, ...trigger, nodes: run.nodes };
}

/** The schema of `{ <field>: RunView }`: what a query or mutation that answers one run returns. */
export function runAnswer<K extends string>(field: K) {
  return z.object({ [field]: RunViewSchema } as Record<K, typeof RunViewSchema>);
}
