import { FlowForgeError, NODE_GROUPS, paramRows, z } from '@flowforge/connectors-sdk';
import { NodeTypeInfoSchema } from '@flowforge/connectors-sdk/contract';
import type { ControlPlaneClient } from './control-plane-client.ts';

/** A catalogue entry as GraphQL `nodeTypes` answers it (absent optional fields come as null). */
const NodeTypeSchema = NodeTypeInfoSchema.extend({
  extraInputs: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
  extraOutputs: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
  source: z.enum(['builtin', 'worker']),
});
export type NodeType = z.infer<typeof NodeTypeSchema>;

const FIELDS = `type displayName description group version defaultTimeout inputs dynamicInputs extraInputs outputs
  dynamicOutputs extraOutputs credentials capabilities literalParams source`;

export async function fetchNodeTypes(client: ControlPlaneClient, taskQueue: string | undefined): Promise<NodeType[]> {
  const { nodeTypes } = await client.request(
    `query ($q: String) { nodeTypes(taskQueue: $q) { ${FIELDS} paramsSchema } }`,
    { q: taskQueue ?? null },
    z.object({ nodeTypes: z.array(NodeTypeSchema) }),
  );
  return nodeTypes;
}

/** One type; FF_NOT_FOUND (exit 2) with the known types when nobody offers it. */
export async function fetchNodeType(
  client: ControlPlaneClient,
  type: string,
  taskQueue: string | undefined,
): Promise<NodeType> {
  const { nodeType, nodeTypes } = await client.request(
    `query ($t: String!, $q: String) { nodeType(type: $t, taskQueue: $q) { ${FIELDS} paramsSchema } nodeTypes(taskQueue: $q) { type } }`,
    { t: type, q: taskQueue ?? null },
    z.object({ nodeType: NodeTypeSchema.nullable(), nodeTypes: z.array(z.object({ type: z.string() })) }),
  );
  if (nodeType) return nodeType;
  const where = taskQueue ? `task queue "${taskQueue}"` : "the control plane's task queue";
  throw new FlowForgeError(
    'FF_NOT_FOUND',
    `unknown node type "${type}": neither the control plane nor a worker on ${where} offers it; known types: ${nodeTypes.map((t) => t.type).join(', ')}`,
    {
      path: ['type'],
      hint:
        'flowforge nodes list shows every type with its description; a connector package\u2019s types appear once a ' +
        'worker that loads it (FLOWFORGE_NODE_PACKAGES) polls the task queue',
    },
  );
}

/** The `--json` shape: people-first fields first; `paramsSchema` only for `nodes show`. */
export function nodeTypeJson(node: NodeType, withParams: boolean): Record<string, unknown> {
  const { type, displayName, description, group, paramsSchema, ...rest } = node;
  return { type, displayName, description, group, ...rest, ...(withParams ? { paramsSchema } : {}) };
}

/** The list by palette group: type, name, the description's first sentence. */
export function formatNodeList(nodes: NodeType[]): string {
  const width = Math.max(...nodes.map((node) => node.type.length));
  const nameWidth = Math.max(...nodes.map((node) => node.displayName.length));
  const lines: string[] = [];
  for (const [group, title] of Object.entries(NODE_GROUPS)) {
    const inGroup = nodes.filter((node) => node.group === group);
    if (inGroup.length === 0) continue;
    lines.push(title);
    for (const node of inGroup) {
      const from = node.source === 'worker' ? '  [from the workers]' : '';
      lines.push(
        `  ${node.type.padEnd(width)}  ${node.displayName.padEnd(nameWidth)}  ${firstSentence(node.description)}${from}`,
      );
    }
  }
  const offered = nodes.filter((node) => node.source === 'worker').length;
  lines.push(
    '',
    `${nodes.length - offered} built-in types, ${offered} offered by the task queue's workers; flowforge nodes show <type> for its parameters`,
  );
  return lines.join('\n');
}

/** One type in full: what it does, ports, engine traits, and its parameters as a table. */
export function formatNodeType(node: NodeType): string {
  const from = node.source === 'worker' ? "offered by the task queue's workers" : 'built in';
  const ports = (list: string[], dynamic: boolean, extra?: string) =>
    [
      dynamic ? 'set by the parameters' : list.join(', ') || 'none',
      ...(extra ? [`ports matching /${extra}/`] : []),
    ].join(', plus ');
  const lines = [
    `${node.type}  ${node.displayName}  v${node.version}  (${NODE_GROUPS[node.group]}, ${from})`,
    node.description,
    '',
    `inputs:           ${ports(node.inputs, node.dynamicInputs, node.extraInputs)}`,
    `outputs:          ${ports(node.outputs, node.dynamicOutputs, node.extraOutputs)}`,
    `default timeout:  ${node.defaultTimeout}`,
  ];
  const traits = Object.entries(node.capabilities)
    .filter(([, on]) => on)
    .map(([name]) => name);
  if (traits.length > 0) lines.push(`engine:           ${traits.join(', ')}`);
  if (node.credentials.length > 0) {
    const slots = node.credentials.map((slot) => `${slot.name} (${slot.type}${slot.required ? ', required' : ''})`);
    lines.push(`credentials:      ${slots.join(', ')}`);
  }
  if (node.literalParams.length > 0) lines.push(`never expressions: ${node.literalParams.join(', ')}`);
  const rows = paramRows(node.paramsSchema);
  lines.push('', rows.length === 0 ? 'no parameters' : 'parameters:');
  const nameWidth = Math.max(0, ...rows.map((row) => row.name.length));
  const typeWidth = Math.max(0, ...rows.map((row) => row.type.length));
  for (const row of rows) {
    const need = row.required
      ? 'required'
      : row.default === undefined
        ? 'optional'
        : `default ${JSON.stringify(row.default)}`;
    lines.push(`  ${row.name.padEnd(nameWidth)}  ${row.type.padEnd(typeWidth)}  ${need}  ${row.description}`.trimEnd());
  }
  return lines.join('\n');
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  const sentence = end === -1 ? text : text.slice(0, end + 1);
  return sentence.length > 90 ? `${sentence.slice(0, 87)}...` : sentence;
}
