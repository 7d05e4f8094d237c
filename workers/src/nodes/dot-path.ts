import type { JsonObject } from '@flowforge/connectors-sdk';

/** Paths were checked by DotPathSchema (@flowforge/connectors-sdk/builtin): no empty or prototype segment. */
export function pathSegments(path: string): string[] {
  return path.split('.');
}

/** Reads `a.b.0.c`; numeric segments index arrays. Undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of pathSegments(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * Returns a copy of `target` with `value` at `path`, creating objects on the way (numeric
 * segments of existing arrays set elements). Only the containers along the path are copied,
 * so the input item is never changed.
 */
export function setPath(target: JsonObject, path: string, value: unknown): JsonObject {
  return setIn(target, pathSegments(path), value) as JsonObject;
}

function setIn(container: unknown, segments: string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) return value;
  if (Array.isArray(container) && /^\d+$/.test(head)) {
    const copy = [...container];
    copy[Number(head)] = setIn(copy[Number(head)], rest, value);
    return copy;
  }
  const base = container !== null && typeof container === 'object' && !Array.isArray(container) ? container : {};
  const child = (base as Record<string, unknown>)[head];
  return { ...base, [head]: setIn(Object.hasOwn(base, head) ? child : undefined, rest, value) };
}

/** The last segment of a path: the field name `splitOut` gives primitive elements. */
export function lastSegment(path: string): string {
  return pathSegments(path).at(-1) ?? path;
}
