import { FlowForgeError } from '@flowforge/connectors-sdk';

/** FF_ARCHIVED for what an archived workflow refuses (`action`: "push to", "activate", "run"). */
export function refuseIfArchived(workflow: { name: string; archivedAt: Date | null } | null, action: string): void {
  if (!workflow?.archivedAt) return;
  throw new FlowForgeError(
    'FF_ARCHIVED',
    `cannot ${action} workflow "${workflow.name}": it was archived at ${workflow.archivedAt.toISOString()}`,
    { path: ['workflow'], hint: `flowforge workflow unarchive ${workflow.name} makes it usable again` },
  );
}
