import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AnyNodeDefinition,
  createRegistry,
  FlowForgeError,
  isNodeDefinition,
  type NodeRegistry,
} from '@flowforge/connectors-sdk';

/**
 * Extra node packages (FLOWFORGE_NODE_PACKAGES): each a module specifier or a path, resolved from the
 * worker's working directory, exporting its node definitions as `export const nodes = [...]` or
 * `export default [...]`. A package is refused, before the worker polls anything, when it does not
 * load, exports no definitions, redefines a built-in type, defines a type another package (or it)
 * defines too, or was built against another copy of @flowforge/connectors-sdk than this worker's:
 * FlowForgeError `instanceof` checks and zod instances only hold within one copy.
 */

export interface LoadedNodePackage {
  /** As written in FLOWFORGE_NODE_PACKAGES. */
  specifier: string;
  /** The module file that was imported. */
  file: string;
  types: string[];
}

export interface NodePackagesOptions {
  /** Where specifiers and relative paths are resolved from (the worker's working directory). */
  cwd: string;
  /** Types no package may define (the built-in ones). */
  reserved: NodeRegistry;
}

const VARIABLE = 'FLOWFORGE_NODE_PACKAGES';

export async function loadNodePackages(
  specifiers: readonly string[],
  options: NodePackagesOptions,
): Promise<{ definitions: AnyNodeDefinition[]; packages: LoadedNodePackage[] }> {
  const definedBy = new Map<string, string>();
  const definitions: AnyNodeDefinition[] = [];
  const packages: LoadedNodePackage[] = [];
  for (const specifier of specifiers) {
    const file = resolveEntry(specifier, options.cwd);
    checkSdkCopy(specifier, file);
    const found = definitionsOf(specifier, await importPackage(specifier, file));
    for (const definition of found) {
      if (options.reserved.has(definition.type)) {
        throw refused(specifier, `redefines the built-in node type "${definition.type}"`, {
          hint: `give it a type of its own namespace (like "acme.${definition.type.split('.').at(-1)}"); built-in types cannot be replaced`,
        });
      }
      const earlier = definedBy.get(definition.type);
      if (earlier !== undefined) {
        const where = earlier === specifier ? 'twice' : `too ("${earlier}" defines it already)`;
        throw refused(specifier, `defines node type "${definition.type}" ${where}`, {
          hint: 'a node type is defined once per worker: rename one, or load only one of the packages',
        });
      }
      definedBy.set(definition.type, specifier);
    }
    definitions.push(...found);
    packages.push({ specifier, file, types: found.map((definition) => definition.type) });
  }
  return { definitions, packages };
}

/** The worker's registry: the built-in nodes, then what the packages define. */
export async function registryWithPackages(
  specifiers: readonly string[],
  cwd: string,
): Promise<{ registry: NodeRegistry; packages: LoadedNodePackage[] }> {
  const { builtinNodes, builtinRegistry } = await import('./nodes/index.ts');
  const { definitions, packages } = await loadNodePackages(specifiers, { cwd, reserved: builtinRegistry });
  return { registry: createRegistry([...builtinNodes, ...definitions]), packages };
}

function refused(specifier: string, problem: string, options: { hint: string; cause?: unknown }): FlowForgeError {
  return new FlowForgeError('FF_CONFIG', `${VARIABLE}: "${specifier}" ${problem}`, {
    path: [VARIABLE],
    ...options,
  });
}

const LOAD_HINT =
  `${VARIABLE} takes module names (installed where the worker runs) or paths to a package folder or its ` +
  'entry file, comma-separated, resolved from the working directory the worker was started in';

/** A path (`./x`, `/x`) or a package name (`acme-nodes`, `@acme/nodes/extra`), to the file to import. */
function resolveEntry(specifier: string, cwd: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const target = resolve(cwd, specifier);
    if (!existsSync(target)) {
      throw refused(specifier, `does not load: ${target} does not exist`, { hint: LOAD_HINT });
    }
    return statSync(target).isDirectory() ? packageEntry(specifier, target, '.') : target;
  }
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  // The node_modules folders Node looks in from cwd, nearest first.
  const folders = createRequire(join(cwd, 'package.json')).resolve.paths(name) ?? [];
  const root = folders.map((folder) => join(folder, name)).find((dir) => existsSync(join(dir, 'package.json')));
  if (!root) {
    throw refused(specifier, `does not load: no package "${name}" in node_modules seen from ${cwd}`, {
      hint: `install it there (npm install ${name}), or give its path (./path/to/${name}); ${LOAD_HINT}`,
    });
  }
  return packageEntry(specifier, root, subpath);
}

/** The file a package exports at `subpath`: `exports` (import/default/node conditions), else `main`. */
function packageEntry(specifier: string, root: string, subpath: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown;
    main?: string;
  };
  const exported = exportTarget(manifest.exports, subpath);
  const candidates = exported
    ? [exported]
    : subpath === '.'
      ? [manifest.main, 'index.ts', 'index.js', 'src/index.ts'].filter((file): file is string => file !== undefined)
      : [subpath];
  const file = candidates.map((candidate) => join(root, candidate)).find((path) => existsSync(path));
  if (!file) {
    throw refused(specifier, `does not load: ${root}/package.json names no entry file for "${subpath}"`, {
      hint: 'set "exports": { ".": "./src/index.ts" } (or "main") in its package.json',
    });
  }
  return file;
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const bySubpath = Object.keys(map).some((key) => key.startsWith('.'));
  const target = bySubpath ? map[subpath] : subpath === '.' ? map : undefined;
  if (typeof target === 'string' || target === undefined) return target as string | undefined;
  const conditions = target as Record<string, unknown>;
  const chosen = conditions.import ?? conditions.default ?? conditions.node;
  return typeof chosen === 'string' ? chosen : undefined;
}

/**
 * The SDK the package imports must be the worker's own file (same realpath): a package that
 * installed its own copy makes errors and schemas this worker cannot recognise.
 */
function checkSdkCopy(specifier: string, file: string): void {
  let theirs: string;
  try {
    theirs = realpathSync(createRequire(file).resolve('@flowforge/connectors-sdk'));
  } catch {
    // It does not resolve the SDK from where it lives: whatever it exports is checked below.
    return;
  }
  const ours = realpathSync(createRequire(import.meta.url).resolve('@flowforge/connectors-sdk'));
  if (theirs !== ours) {
    throw refused(specifier, `uses another copy of @flowforge/connectors-sdk (${theirs}) than the worker (${ours})`, {
      hint:
        'list @flowforge/connectors-sdk as a peer dependency of the package, not a dependency, and install it ' +
        "so that it resolves the worker's copy (a link to it, as `flowforge nodes new` makes)",
    });
  }
}

async function importPackage(specifier: string, file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw refused(specifier, `does not load: importing ${file} failed: ${reason}`, { hint: LOAD_HINT, cause });
  }
}

function definitionsOf(specifier: string, module: Record<string, unknown>): AnyNodeDefinition[] {
  const exported = module.nodes ?? module.default;
  if (!Array.isArray(exported) || exported.length === 0) {
    throw refused(specifier, 'exports no node definitions', {
      hint: 'export them as `export const nodes = [myNode]` (or `export default [myNode]`), each made with defineNode',
    });
  }
  return exported.map((candidate, index) => {
    if (isNodeDefinition(candidate)) return candidate;
    const looksLikeOne = typeof (candidate as { execute?: unknown } | null)?.execute === 'function';
    throw refused(
      specifier,
      looksLikeOne
        ? `exports node "${String((candidate as { type?: unknown }).type)}", which the worker's @flowforge/connectors-sdk did not make (another copy of the SDK made it, or it is a plain object)`
        : `exports something at nodes[${index}] that is not a node definition`,
      { hint: "make each node with defineNode from the worker's @flowforge/connectors-sdk (a peer dependency)" },
    );
  });
}
