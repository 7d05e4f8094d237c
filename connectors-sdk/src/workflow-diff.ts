import { formatPath } from './errors.ts';
import type { WorkflowDefinition, WorkflowEdge } from './workflow-definition.ts';

/**
 * What changed from one stored version of a workflow to another (`flowforge workflow diff`, GraphQL
 * `workflowDiff`; a contract). Nodes are matched by id, edges by their four fields (an edge has no
 * id of its own), so a renamed node is one removed and one added.
 */
export interface WorkflowDiff {
  nodes: {
    /** Ids in the newer definition only, in its order. */
    added: string[];
    /** Ids in the older definition only, in its order. */
    removed: string[];
    /** Nodes in both whose content differs (newer order), each with every changed path. */
    changed: ChangedNode[];
  };
  edges: { added: DiffEdge[]; removed: DiffEdge[] };
  /** Changed paths under `settings` (`timeout`, `errorWorkflow`), sorted. */
  settings: { changed: string[] };
}

export interface ChangedNode {
  id: string;
  /** Paths into the node as `formatPath` writes them: `params.values.total`, `params.roles[1]`, `type`. */
  paths: string[];
}

/** An edge with its ports spelled out (stored definitions have their defaults filled). */
export interface DiffEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

/** `before` → `after`; both are parsed definitions (as stored: defaults filled). */
export function diffWorkflows(before: WorkflowDefinition, after: WorkflowDefinition): WorkflowDiff {
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const afterIds = new Set(after.nodes.map((node) => node.id));
  const changed: ChangedNode[] = [];
  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old) continue;
    const paths = changedPaths(old, node, []);
    if (paths.length > 0) changed.push({ id: node.id, paths });
  }
  const beforeEdges = new Map(before.edges.map((edge) => [edgeKey(edge), diffEdge(edge)]));
  const afterEdges = new Map(after.edges.map((edge) => [edgeKey(edge), diffEdge(edge)]));
  return {
    nodes: {
      added: after.nodes.filter((node) => !beforeNodes.has(node.id)).map((node) => node.id),
      removed: before.nodes.filter((node) => !afterIds.has(node.id)).map((node) => node.id),
      changed,
    },
    edges: {
      added: [...afterEdges].filter(([key]) => !beforeEdges.has(key)).map(([, edge]) => edge),
      removed: [...beforeEdges].filter(([key]) => !afterEdges.has(key)).map(([, edge]) => edge),
    },
    settings: { changed: changedPaths(before.settings ?? {}, after.settings ?? {}, []) },
  };
}

/** True when the two definitions differ in nothing the diff reports. */
export function isEmptyDiff(diff: WorkflowDiff): boolean {
  return (
    diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length === 0 &&
    diff.edges.added.length + diff.edges.removed.length === 0 &&
    diff.settings.changed.length === 0
  );
}

/** `from:port->to:port`: how the text form writes an edge. */
export function formatEdge(edge: DiffEdge): string {
  return `${edge.from}:${edge.fromPort}->${edge.to}:${edge.toPort}`;
}

/**
 * Every path where `a` and `b` differ, deep over objects (keys of either, sorted) and arrays (by
 * index: an element added at the end is its index, one inserted in the middle moves the rest). A
 * value whose kind changed (object → string, array → object) is its own path, not its leaves.
 * Paths are relative to the node (or the settings), formatted like issue paths.
 */
export function changedPaths(a: unknown, b: unknown, path: Array<string | number>): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let index = 0; index < Math.max(a.length, b.length); index++) {
      if (index >= a.length || index >= b.length) out.push(formatPath([...path, index]));
      else out.push(...changedPaths(a[index], b[index], [...path, index]));
    }
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => {
      if (!(key in a) || !(key in b)) return [formatPath([...path, key])];
      return changedPaths(a[key], b[key], [...path, key]);
    });
  }
  return Object.is(a, b) ? [] : [formatPath(path)];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diffEdge(edge: WorkflowEdge): DiffEdge {
  return { from: edge.from, fromPort: edge.fromPort ?? 'main', to: edge.to, toPort: edge.toPort ?? 'main' };
}

function edgeKey(edge: WorkflowEdge): string {
  return JSON.stringify(diffEdge(edge));
}
