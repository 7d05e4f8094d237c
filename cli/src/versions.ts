import { type DiffEdge, formatEdge, isEmptyDiff, type WorkflowDiff, z } from '@flowforge/connectors-sdk';

/** One version as `workflow versions --json` prints it (a contract), newest first. */
export const VersionSchema = z.object({
  version: z.int(),
  hash: z.string(),
  message: z.string().nullable(),
  createdAt: z.string(),
  actor: z.string().nullable(),
  active: z.boolean(),
});
export type Version = z.infer<typeof VersionSchema>;
export const VERSION_FIELDS = 'version hash message createdAt actor active';

const EdgeSchema = z.object({ from: z.string(), fromPort: z.string(), to: z.string(), toPort: z.string() });

/** GraphQL WorkflowDiff: what `workflow diff --json` prints (a contract). */
export const WorkflowDiffSchema = z.object({
  nodes: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ id: z.string(), paths: z.array(z.string()) })),
  }),
  edges: z.object({ added: z.array(EdgeSchema), removed: z.array(EdgeSchema) }),
  settings: z.object({ changed: z.array(z.string()) }),
});
export const DIFF_FIELDS =
  'nodes { added removed changed { id paths } } edges { added { from fromPort to toPort } removed { from fromPort to toPort } } settings { changed }';

/** `VERSION  ACTIVE  CREATED  BY  HASH  MESSAGE`, one line per version, newest first. */
export function formatVersions(name: string, versions: Version[], archived: boolean): string {
  const rows = [
    ['VERSION', 'ACTIVE', 'CREATED', 'BY', 'HASH', 'MESSAGE'],
    ...versions.map((v) => [
      `v${v.version}`,
      v.active ? 'active' : '',
      v.createdAt,
      v.actor ?? '-',
      v.hash.slice(0, 'sha256:'.length + 12),
      v.message ?? '',
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [...(archived ? [`${name} is archived (flowforge workflow unarchive ${name})`] : []), ...lines].join('\n');
}

/** `+` added, `-` removed, `~` changed (with its paths), under nodes, edges and settings. */
export function formatDiff(name: string, from: number, to: number, diff: WorkflowDiff): string {
  if (isEmptyDiff(diff)) return `${name}: v${from} and v${to} are the same`;
  const lines = [`${name}: v${from} -> v${to}`];
  const section = (title: string, entries: string[]) => {
    if (entries.length > 0) lines.push(title, ...entries.map((entry) => `  ${entry}`));
  };
  section('nodes', [
    ...diff.nodes.added.map((id) => `+ ${id}`),
    ...diff.nodes.removed.map((id) => `- ${id}`),
    ...diff.nodes.changed.map((node) => `~ ${node.id}: ${node.paths.join(', ')}`),
  ]);
  const edge = (sign: string) => (e: DiffEdge) => `${sign} ${formatEdge(e)}`;
  section('edges', [...diff.edges.added.map(edge('+')), ...diff.edges.removed.map(edge('-'))]);
  section(
    'settings',
    diff.settings.changed.map((path) => `~ ${path}`),
  );
  return lines.join('\n');
}
