/**
 * A params JSON Schema (paramsJsonSchema, or a NodeTypeInfo's paramsSchema) as a list of parameters
 * for people: the docs' tables and `flowforge nodes show`. It reads JSON Schema, not zod, so it works
 * on what a worker sent as well as on a descriptor here.
 */

/** A JSON Schema node, as much of it as the rows read. */
interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  format?: string;
}

export interface ParamRow {
  /** `url`, `circuitBreaker.failures`, `rules[].port`. */
  name: string;
  /** `string`, `"GET" | "POST"`, `map of string`, `string (uri)`. */
  type: string;
  required: boolean;
  default: unknown;
  description: string;
}

/** Top-level properties, then the fields of objects and of arrays of objects (`rules[].port`). */
export function paramRows(schema: Record<string, unknown>): ParamRow[] {
  return rowsOf(schema as JsonSchema, '');
}

function rowsOf(schema: JsonSchema, prefix: string): ParamRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, property]) => {
    const name = `${prefix}${key}`;
    const row: ParamRow = {
      name,
      type: typeName(property),
      required: required.has(key) && property.default === undefined,
      default: property.default,
      description: property.description ?? '',
    };
    if (property.type === 'array' && property.items?.properties) return [row, ...rowsOf(property.items, `${name}[].`)];
    if (property.properties) return [row, ...rowsOf(property, `${name}.`)];
    return [row];
  });
}

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return [...new Set(options.map(typeName))].join(' | ');
  if (schema.type === 'array') return `${schema.items ? typeName(schema.items) : 'any'}[]`;
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeName(schema.additionalProperties)}`;
  }
  if (schema.format) return `string (${schema.format})`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'any';
}
