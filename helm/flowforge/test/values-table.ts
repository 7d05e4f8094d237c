import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The README's values table, made from values.schema.json (types, descriptions) and values.yaml
 * (defaults), so the two cannot drift: chart.test.ts compares the README's rows with these.
 * `node helm/flowforge/test/values-table.ts --write` rewrites the table in the README.
 */
const CHART = join(import.meta.dirname, '..');
export const START = '<!-- values-table:start (node helm/flowforge/test/values-table.ts --write) -->';
export const END = '<!-- values-table:end -->';

interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
}

export type Row = [key: string, type: string, defaultValue: string, description: string];

export function valuesRows(): Row[] {
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as SchemaNode;
  const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const rows: Row[] = [];
  walk(schema, '', values, rows);
  return rows;
}

function walk(node: SchemaNode, path: string, value: unknown, rows: Row[]): void {
  const isItemList = node.type === 'array' && node.items?.properties !== undefined;
  // An object of fixed fields is a heading, its fields are the rows; an open object is one value.
  const isHeading = node.properties !== undefined && node.additionalProperties === false;
  if (path !== '' && !isHeading) {
    // A list of objects is described field by field below it: its own default would be one long line.
    const shown =
      isItemList && Array.isArray(value) ? `${value.length} item(s), see values.yaml` : JSON.stringify(value);
    rows.push([path, typeOf(node), value === undefined ? '' : shown, node.description ?? '']);
  }
  if (!isHeading && !isItemList && path !== '') return;
  const fields = isItemList ? node.items?.properties : node.properties;
  for (const [key, child] of Object.entries(fields ?? {})) {
    const childPath = isItemList ? `${path}[].${key}` : path ? `${path}.${key}` : key;
    // Items of a list have no single default: the first item's value stands for it.
    const parent = isItemList ? (Array.isArray(value) ? value[0] : undefined) : value;
    walk(child, childPath, (parent as Record<string, unknown> | undefined)?.[key], rows);
  }
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return `${JSON.stringify(node.const)} only`;
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' or ');
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  return node.type ?? 'any';
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export function valuesTable(): string {
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [key, type, value, description] of valuesRows()) {
    lines.push(`| \`${key}\` | ${cell(type)} | ${value ? `\`${cell(value)}\`` : ''} | ${cell(description)} |`);
  }
  return lines.join('\n');
}

/** The rows of the README's table, cells trimmed and unquoted (Biome pads Markdown tables). */
export function readmeRows(readme: string): Row[] {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return readme
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replaceAll('\\|', '|'));
      return cells.map((c) => c.replace(/^`(.*)`$/, '$1')) as Row;
    });
}

if (process.argv.includes('--write')) {
  const file = join(CHART, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  writeFileSync(file, `${readme.slice(0, start + START.length)}\n\n${valuesTable()}\n\n${readme.slice(end)}`);
}
