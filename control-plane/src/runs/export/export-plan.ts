import {
  FlowForgeError,
  indexGraph,
  type WorkflowDefinition,
  WorkflowDefinitionSchema,
} from '@flowforge/connectors-sdk';
import type { ArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import {
  isArtifactRef,
  isStoredRunInput,
  type NodeOutput,
  type NodeView,
  type PortOutput,
  portFired,
  type RunView,
} from '@flowforge/connectors-sdk/contract';
import { getRunView, type RunViewDeps } from '../run-view.ts';
import { runDagStartOf } from '../unseen-runs.ts';
import { lookupVersion } from '../workflow-versions.ts';

/**
 * What a run's archive holds, before a byte of it is read: each entry is a list of parts, inline
 * text or a byte range of a stored artefact, so its size is known for the tar header and stored
 * payloads are copied from the store as a stream, never loaded whole (export-archive.ts).
 */
export type ExportPart = { text: string } | { artifact: string; start: number; end: number };

export interface ExportEntry {
  name: string;
  parts: ExportPart[];
}

export interface PlannedNode {
  id: string;
  view: NodeView;
  type: string;
  input: ExportEntry | undefined;
  output: ExportEntry;
  storedPorts: string[];
}

export interface RunExportPlan {
  view: RunView;
  hash: string;
  definition: ExportEntry;
  input: ExportEntry | undefined;
  nodes: PlannedNode[];
}

export interface ExportDeps extends RunViewDeps {
  artifacts: ArtifactStore;
}

/**
 * The run as its view shows it (Temporal is the system of record: the `runState` query, or the
 * history when no worker answers), with each node's input rebuilt as the interpreter builds it:
 * per input port, the items of every live edge into it, in edge order. Nodes that never started
 * are left out, as in the view; a node in a loop's body shows its latest iteration.
 */
export async function planRunExport(deps: ExportDeps, runId: string): Promise<RunExportPlan> {
  const view = await getRunView(deps, runId);
  const { found } = await lookupVersion(deps.prisma, deps.projectId, view.workflow.name, view.workflow.version);
  if (!found) throw new FlowForgeError('FF_INTERNAL', `run ${runId}: its workflow version is not stored`);
  const dag: WorkflowDefinition = WorkflowDefinitionSchema.parse(found.definition);
  const graph = indexGraph(dag);
  const store = deps.artifacts;
  const nodes: PlannedNode[] = [];
  for (const id of graph.order) {
    const node = view.nodes[id];
    if (!node) continue;
    const incoming = graph.incoming.get(id) ?? [];
    const inputs: Record<string, PortOutput[]> = {};
    for (const edge of incoming) {
      const output = view.nodes[edge.from]?.output[edge.fromPort];
      if (output === undefined || !portFired(output)) continue;
      inputs[edge.toPort] = [...(inputs[edge.toPort] ?? []), output];
    }
    nodes.push({
      id,
      view: node,
      type: graph.nodes.get(id)?.type ?? 'unknown',
      input: incoming.length === 0 ? undefined : await inputEntry(`nodes/${id}/input.json`, inputs, store),
      output: await outputEntry(`nodes/${id}/output.json`, node.output, store),
      storedPorts: Object.keys(node.output).filter((port) => isArtifactRef(node.output[port])),
    });
  }
  return {
    view,
    hash: found.hash,
    definition: { name: 'workflow.json', parts: [{ text: `${JSON.stringify(dag, null, 2)}\n` }] },
    input: await runInputEntry(deps, runId),
    nodes,
  };
}

/** The input the run started with (continue-as-new carries it on), read from the store when it was stored there. */
async function runInputEntry(deps: ExportDeps, runId: string): Promise<ExportEntry | undefined> {
  let input: unknown;
  try {
    input = (await runDagStartOf(deps.temporal, runId)).raw.input;
  } catch {
    return undefined; // Temporal no longer has the history: the manifest's note says so.
  }
  const name = 'run-input.json';
  if (!isStoredRunInput(input)) return { name, parts: [{ text: JSON.stringify(input ?? null) }] };
  return { name, parts: [await wholeArtifact(input.$storedInput, deps.artifacts)] };
}

/** `{"<port>":[items],…}` with each port's items inline or copied from the store. */
export async function outputEntry(name: string, output: NodeOutput, store: ArtifactStore): Promise<ExportEntry> {
  const parts: ExportPart[] = [];
  for (const [port, items] of Object.entries(output)) {
    parts.push({ text: `${parts.length === 0 ? '{' : ','}${JSON.stringify(port)}:` });
    parts.push(isArtifactRef(items) ? await wholeArtifact(items.$artifact, store) : { text: JSON.stringify(items) });
  }
  parts.push({ text: parts.length === 0 ? '{}' : '}' });
  return { name, parts };
}

/** `{"<port>":[items of edge 1, items of edge 2,…],…}`: one array per port, the edges' arrays joined. */
export async function inputEntry(
  name: string,
  inputs: Record<string, PortOutput[]>,
  store: ArtifactStore,
): Promise<ExportEntry> {
  const parts: ExportPart[] = [];
  for (const [port, outputs] of Object.entries(inputs)) {
    parts.push({ text: `${parts.length === 0 ? '{' : ','}${JSON.stringify(port)}:[` });
    for (const [index, output] of outputs.entries()) {
      if (index > 0) parts.push({ text: ',' });
      parts.push(await arrayContents(output, store));
    }
    parts.push({ text: ']' });
  }
  parts.push({ text: parts.length === 0 ? '{}' : '}' });
  return { name, parts };
}

/**
 * An items array without its brackets. A stored port is the worker's `JSON.stringify(items)`
 * (workers/src/artifacts/claim-check.ts): it starts with `[` and ends with `]`, so the bytes
 * between them are the items, and a range read copies them without parsing the payload.
 */
async function arrayContents(output: PortOutput, store: ArtifactStore): Promise<ExportPart> {
  if (!isArtifactRef(output)) return { text: JSON.stringify(output).slice(1, -1) };
  const size = await store.size(output.$artifact);
  return { artifact: output.$artifact, start: 1, end: size - 2 };
}

async function wholeArtifact(key: string, store: ArtifactStore): Promise<ExportPart> {
  return { artifact: key, start: 0, end: (await store.size(key)) - 1 };
}

export function partBytes(part: ExportPart): number {
  return 'text' in part ? Buffer.byteLength(part.text) : Math.max(0, part.end - part.start + 1);
}
