import {
  type AnyNodeDescriptor,
  NODE_GROUPS,
  type PortSpec,
  paramRows,
  paramsJsonSchema,
  resolvePorts,
} from '@flowforge/connectors-sdk';

const HEADER = [
  '# Built-in nodes',
  '',
  '<!-- Generated from the node descriptors in connectors-sdk/src/builtin by `npm run docs:nodes`. Do not edit by hand. -->',
  '',
  'Every node runs as one Temporal activity. A string parameter that starts with `=` is an expression',
  '(`={{ $json.total > 100 }}`), evaluated for each input item unless the node says otherwise.',
  '',
];

/** Renders the reference page for node types: one section each, with ports and a parameter table. */
export function renderNodeDocs(nodes: readonly AnyNodeDescriptor[]): string {
  const index = nodes.map((node) => `- [${node.displayName}](#${anchor(node)}) — \`${node.type}\``);
  const sections = nodes.map(renderNode);
  return `${[...HEADER, ...index, '', ...sections].join('\n').trimEnd()}\n`;
}

function renderNode(node: AnyNodeDescriptor): string {
  const lines = [
    `## ${node.displayName}`,
    '',
    `\`${node.type}\` · version ${node.version} · ${NODE_GROUPS[node.group ?? 'integration']} · default timeout ${node.defaultTimeout}`,
    '',
    node.description,
    '',
    `- **Inputs:** ${ports(node.inputs)}${node.extraInputs ? `, plus ports matching \`${node.extraInputs.source}\`` : ''}`,
    `- **Outputs:** ${ports(node.outputs)}${node.extraOutputs ? `, plus ports matching \`${node.extraOutputs.source}\`` : ''}`,
  ];
  if (node.credentials?.length) {
    const slots = node.credentials.map(
      (slot) =>
        `${code(slot.name)} (${slot.type}${slot.required === true ? ', required' : typeof slot.required === 'function' ? ', when the parameters use it' : ''})`,
    );
    lines.push(`- **Credentials:** ${slots.join(', ')}`);
  }
  const traits = capabilityNotes(node);
  if (traits.length > 0) lines.push(`- **Engine:** ${traits.join('; ')}`);
  if (node.literalParams?.length) {
    lines.push(`- **Never expressions:** ${node.literalParams.map(code).join(', ')} (taken literally)`);
  }
  lines.push('', ...paramsTable(node), '');
  return lines.join('\n');
}

/** What the engine does with the type beyond running it, in words. */
function capabilityNotes(node: AnyNodeDescriptor): string[] {
  const capabilities = node.capabilities ?? {};
  return [
    ...(capabilities.trigger ? ['a trigger: it starts runs and gets the run input'] : []),
    ...(capabilities.durableWait ? ['a durable wait: scheduled ahead of its ready siblings'] : []),
    ...(capabilities.pure ? ['pure: no side effects, so running it again changes nothing'] : []),
    ...(capabilities.linkedWorkflows ? ['starts linked workflows, resolved and signed when the run starts'] : []),
  ];
}

function ports(spec: PortSpec): string {
  if (typeof spec === 'function') return 'set by the parameters (see below)';
  const list = resolvePorts(spec, {});
  return list.length > 0 ? list.map(code).join(', ') : 'none';
}

function paramsTable(node: AnyNodeDescriptor): string[] {
  // The same JSON Schema the UI renders its forms from.
  const rows = paramRows(paramsJsonSchema(node));
  if (rows.length === 0) return ['No parameters.'];
  const header = ['Parameter', 'Type', 'Required', 'Default', 'Description'];
  const body = rows.map((row) => [
    code(row.name),
    cell(row.type),
    row.required ? 'yes' : 'no',
    row.default === undefined ? '' : code(JSON.stringify(row.default)),
    cell(row.description),
  ]);
  return alignedTable(header, body);
}

/** Columns padded to their widest cell: the layout Biome's markdown formatter keeps (CI checks it). */
function alignedTable(header: string[], body: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...body.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)];
}

function anchor(node: AnyNodeDescriptor): string {
  // GitHub's heading anchors: lower case, spaces to "-", punctuation dropped.
  return node.displayName
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Table cells are one line and must not contain an unescaped pipe. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}
