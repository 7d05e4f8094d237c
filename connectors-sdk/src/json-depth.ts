import type { IssuePath } from './errors.ts';

/**
 * How deep FlowForge lets JSON nest: objects and arrays inside each other, counted from the value
 * itself (`1` is 0 deep, `{}` 1, `{"a": []}` 2). It holds for every JSON argument at the control
 * plane's boundary (definitions, run inputs, approval fields, resume bodies) and for every item a
 * node outputs, so what a run carries can always be stored, sent and read again.
 *
 * Why 64: Prisma's query engine refuses JSON past about 125 levels (a recursion limit; a pushed
 * definition failed at 120 levels of parameter inside its query), V8's JSON.stringify (Temporal's
 * payload converter, the claim check, GraphQL answers) overflows the stack a few thousand levels
 * down, depending on how deep the caller already is, and so does the GraphQL parser. Half of
 * Prisma's limit leaves room for the wrapping a value gets on its way (definition → nodes → params,
 * port → item → json) and is still far beyond real data (System.Text.Json's default is also 64).
 */
export const MAX_JSON_DEPTH = 64;

/** What is wrong with a JSON value's shape, and where (the path to the offending container or key). */
export type JsonShapeProblem =
  | { kind: 'too-deep'; path: IssuePath }
  /** `__proto__`, or `prototype` inside `constructor`: keys that can reach an object's prototype when copied. */
  | { kind: 'prototype-key'; path: IssuePath };

export interface JsonShapeOptions {
  /** The deepest nesting allowed; MAX_JSON_DEPTH by default. */
  maxDepth?: number;
  /** Also report prototype keys (what Fastify's secure-json-parse refuses in request bodies). */
  prototypeKeys?: boolean;
}

interface Pending {
  value: object;
  depth: number;
  parent?: Pending;
  key?: string | number;
}

/**
 * The first problem in a JSON value, in document order, or undefined. Walks with an explicit
 * stack: a value nested 100,000 deep (JSON.parse accepts that) costs no call stack, and paths are
 * built only for the problem found.
 */
export function jsonShapeProblem(value: unknown, options: JsonShapeOptions = {}): JsonShapeProblem | undefined {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  if (!isContainer(value)) return undefined;
  const stack: Pending[] = [{ value, depth: 1 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next.depth > maxDepth) return { kind: 'too-deep', path: pathOf(next) };
    const depth = next.depth + 1;
    // Children go onto the stack last first, so the first is walked first: the problem reported is the first one.
    if (Array.isArray(next.value)) {
      for (let index = next.value.length - 1; index >= 0; index--) {
        const child: unknown = next.value[index];
        if (isContainer(child)) stack.push({ value: child, depth, parent: next, key: index });
      }
      continue;
    }
    const record = next.value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (options.prototypeKeys) {
      const key = keys.find((candidate) => isPrototypeKey(candidate, next?.key));
      if (key !== undefined) return { kind: 'prototype-key', path: [...pathOf(next), key] };
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index] as string;
      const child = record[key];
      if (isContainer(child)) stack.push({ value: child, depth, parent: next, key });
    }
  }
  return undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isPrototypeKey(key: string | number, parentKey: string | number | undefined): boolean {
  return key === '__proto__' || (key === 'prototype' && parentKey === 'constructor');
}

function pathOf(pending: Pending): IssuePath {
  const path: Array<string | number> = [];
  for (let at: Pending | undefined = pending; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** `a.b[0].c`, with the middle of a long path left out: `a.a.a … a.a (64 keys)`. */
export function shortPath(path: IssuePath, keep = 4): string {
  const part = (key: string | number, first: boolean) =>
    typeof key === 'number' ? `[${key}]` : first ? key : `.${key}`;
  if (path.length <= keep * 2) return path.map((key, index) => part(key, index === 0)).join('') || '(the value itself)';
  const head = path.slice(0, keep).map((key, index) => part(key, index === 0));
  const tail = path.slice(-keep).map((key, index) => part(key, index === 0));
  return `${head.join('')} … ${tail.join('')} (${path.length} keys)`;
}
