/**
 * Which earlier nodes a node's parameters read with `$('id')`, `$("id")` or `$node["id"]`, so
 * that only those outputs travel to its activity (and into Temporal history). Every string is
 * scanned, expressions and literal code alike: sending one output too many is harmless, one too
 * few would break the expression.
 */
const REFERENCE = /\$\(\s*(['"])(.+?)\1\s*\)|\$node\[\s*(['"])(.+?)\3\s*\]/g;

export function referencedNodes(params: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return;
      for (const match of value.matchAll(REFERENCE)) found.add((match[2] ?? match[4]) as string);
    } else if (Array.isArray(value)) {
      for (const entry of value) visit(entry);
    } else if (value !== null && typeof value === 'object') {
      for (const entry of Object.values(value)) visit(entry);
    }
  };
  visit(params);
  return [...found];
}
