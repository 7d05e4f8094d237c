import type { KeyObject } from 'node:crypto';
import { type ApprovalWait, mayDecide, SEARCH_ATTRIBUTES } from '@flowforge/connectors-sdk/contract';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/api-keys.ts';
import type { PrismaClient } from '../database.ts';
import { recordUnseenRuns } from '../runs/unseen-runs.ts';
import { LIST_QUERY_DEADLINE_MS, waitingApprovals } from './waiting-approvals.ts';

export interface PendingApproval extends Omit<ApprovalWait, 'kind'> {
  runId: string;
  workflow: { name: string; version: number };
  nodeId: string;
}

const QUERIES_AT_ONCE = 32;

export interface ListApprovalsDeps {
  prisma: PrismaClient;
  temporal: Client;
  projectId: string;
  signingKey: KeyObject;
}

/**
 * The approvals the caller may decide. Waiting runs are found with one visibility query on the
 * search attribute the workflow sets while it waits (no scan of every run); the details (message,
 * roles, form, since, until) come from each run's `runState` query. Oldest first.
 */
export async function listApprovals(deps: ListApprovalsDeps, principal: Principal): Promise<PendingApproval[]> {
  const query = `ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTES.waitingApproval} IS NOT NULL`;
  const ids: string[] = [];
  for await (const execution of deps.temporal.workflow.list({ query })) ids.push(execution.workflowId);
  if (ids.length === 0) return [];
  // Temporal may hold other projects' (or other control planes') runs: only this project's count.
  const findRuns = () =>
    deps.prisma.run.findMany({
      where: { id: { in: ids }, version: { workflow: { projectId: deps.projectId } } },
      include: { version: { include: { workflow: true } } },
    });
  let runs = await findRuns();
  // Child runs (core.executeWorkflow) get their Run row when first seen: here, if they wait for a person.
  const known = new Set(runs.map((run) => run.id));
  const unknown = ids.filter((id) => !known.has(id));
  if ((await recordUnseenRuns(deps, unknown)).length > 0) runs = await findRuns();
  const pending: PendingApproval[] = [];
  // A bounded number of runState queries at a time: thousands of waiting runs must not open thousands at once.
  for (let start = 0; start < runs.length; start += QUERIES_AT_ONCE) {
    const batch = runs.slice(start, start + QUERIES_AT_ONCE);
    const perRun = await Promise.all(
      batch.map(async (run) => {
        // A run that ended or lost its worker since the listing is simply not listed.
        const waits = await waitingApprovals(deps.temporal, run.id, LIST_QUERY_DEADLINE_MS).catch(
          () => new Map<string, ApprovalWait>(),
        );
        const workflow = { name: run.version.workflow.name, version: run.version.version };
        return [...waits]
          .filter(([, wait]) => mayDecide(wait, principal.user, principal.roles))
          .map(([nodeId, { kind: _kind, ...wait }]): PendingApproval => ({ runId: run.id, workflow, nodeId, ...wait }));
      }),
    );
    pending.push(...perRun.flat());
  }
  return pending.sort((a, b) => a.since.localeCompare(b.since) || a.runId.localeCompare(b.runId));
}
