import { z } from '@flowforge/connectors-sdk';

/** GraphQL ArchiveResult: what `workflow archive` and `unarchive` print with --json (a contract). */
export const ArchiveResultSchema = z.object({
  workflow: z.string(),
  archived: z.boolean(),
  archivedAt: z.string().nullable(),
  previousVersion: z.int().nullable(),
});
export type ArchiveResult = z.infer<typeof ArchiveResultSchema>;
export const ARCHIVE_FIELDS = 'workflow archived archivedAt previousVersion';

export function formatArchive(result: ArchiveResult): string {
  if (!result.archived) return `${result.workflow}: not archived; it is inactive until flowforge workflow activate`;
  const was = result.previousVersion === null ? '' : ` (v${result.previousVersion} was active)`;
  return `${result.workflow}: archived at ${result.archivedAt}; its triggers are off${was}`;
}
