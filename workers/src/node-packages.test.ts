import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNodePackages, registryWithPackages } from './node-packages.ts';
import { builtinRegistry } from './nodes/index.ts';

const sdk = join(import.meta.dirname, '..', '..', 'connectors-sdk');
const scratch = mkdtempSync(join(tmpdir(), 'flowforge-node-packages-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const greetNode = (type: string) => `import { defineNode, z } from '@flowforge/connectors-sdk';
export const greet = defineNode({
  type: '${type}',
  version: 1,
  displayName: 'Greet',
  description: 'Greets.',
  params: z.object({ name: z.string() }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute: (ctx) => ({ main: [{ json: { message: 'Hello, ' + ctx.params.name } }] }),
});
`;

/** A connector package in `dir`: package.json, src/index.ts, and the SDK linked (or copied, or left out). */
function writePackage(
  dir: string,
  index: string,
  options: { sdk?: 'link' | 'copy' | 'none'; exports?: unknown; extra?: Record<string, string> } = {},
): string {
  const name = dir.split('/').at(-1) as string;
  mkdirSync(join(dir, 'src'), { recursive: true });
  const exports = options.exports ?? { '.': './src/index.ts' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports }));
  writeFileSync(join(dir, 'src', 'index.ts'), index);
  for (const [file, text] of Object.entries(options.extra ?? {})) writeFileSync(join(dir, file), text);
  const target = join(dir, 'node_modules', '@flowforge', 'connectors-sdk');
  if (options.sdk !== 'none') mkdirSync(dirname(target), { recursive: true });
  if ((options.sdk ?? 'link') === 'link') symlinkSync(sdk, target);
  if (options.sdk === 'copy') {
    cpSync(sdk, target, { recursive: true, filter: (source) => !source.includes('node_modules') });
    symlinkSync(join(sdk, 'node_modules'), join(target, 'node_modules'));
  }
  return dir;
}

const load = (specifiers: string[], cwd = scratch) => loadNodePackages(specifiers, { cwd, reserved: builtinRegistry });

describe('loading node packages (FLOWFORGE_NODE_PACKAGES)', () => {
  it('loads a package by path (folder or entry file) and by name from node_modules, and runs its node', async () => {
    writePackage(join(scratch, 'acme-greet'), `${greetNode('acme.greet')}export const nodes = [greet];\n`);
    const byFolder = await load(['./acme-greet']);
    expect(byFolder.packages).toEqual([
      { specifier: './acme-greet', file: join(scratch, 'acme-greet', 'src', 'index.ts'), types: ['acme.greet'] },
    ]);
    expect((await load([join(scratch, 'acme-greet', 'src', 'index.ts')])).definitions[0]?.type).toBe('acme.greet');

    const app = join(scratch, 'app');
    writePackage(join(app, 'node_modules', 'acme-default'), `${greetNode('acme.hello')}export default [greet];\n`, {
      exports: { '.': { import: './src/index.ts' } },
    });
    const { registry } = await registryWithPackages(['acme-default'], app);
    expect(registry.has('core.set')).toBe(true);
    const hello = registry.get('acme.hello');
    expect(hello).toBeDefined();
    const result = await runNodeForTest(hello as NonNullable<typeof hello>, { params: { name: 'Ada' } });
    expect(result.outputs.main?.[0]?.json).toEqual({ message: 'Hello, Ada' });
  });

  it('refuses a package that does not load, saying what was tried and how to name one', async () => {
    await expect(load(['./nowhere'])).rejects.toMatchObject({
      code: 'FF_CONFIG',
      message: `FLOWFORGE_NODE_PACKAGES: "./nowhere" does not load: ${join(scratch, 'nowhere')} does not exist`,
      hint: expect.stringContaining('resolved from the working directory'),
    });
    await expect(load(['acme-missing'])).rejects.toMatchObject({
      message: expect.stringContaining('"acme-missing" does not load: no package "acme-missing" in node_modules'),
      hint: expect.stringContaining('npm install acme-missing'),
    });
    writePackage(join(scratch, 'acme-broken'), "import './missing.ts';\nexport const nodes = [];\n");
    await expect(load(['./acme-broken'])).rejects.toMatchObject({
      message: expect.stringMatching(/"\.\/acme-broken" does not load: importing .*index\.ts failed: /),
    });
  });

  it('refuses a package that exports no definitions, or something else', async () => {
    writePackage(join(scratch, 'acme-empty'), 'export const other = 1;\n');
    await expect(load(['./acme-empty'])).rejects.toMatchObject({
      message: 'FLOWFORGE_NODE_PACKAGES: "./acme-empty" exports no node definitions',
      hint: expect.stringContaining('export const nodes = [myNode]'),
    });
    writePackage(join(scratch, 'acme-plain'), "export const nodes = [{ type: 'acme.plain', execute() {} }, 2];\n");
    await expect(load(['./acme-plain'])).rejects.toMatchObject({
      message: expect.stringContaining(
        `exports node "acme.plain", which the worker's @flowforge/connectors-sdk did not make`,
      ),
    });
  });

  it('refuses a package that redefines a built-in type, or a type defined twice', async () => {
    writePackage(join(scratch, 'acme-set'), `${greetNode('core.set')}export const nodes = [greet];\n`);
    await expect(load(['./acme-set'])).rejects.toMatchObject({
      message: 'FLOWFORGE_NODE_PACKAGES: "./acme-set" redefines the built-in node type "core.set"',
    });
    writePackage(join(scratch, 'acme-twice'), `${greetNode('acme.twice')}export const nodes = [greet, greet];\n`);
    await expect(load(['./acme-twice'])).rejects.toMatchObject({
      message: 'FLOWFORGE_NODE_PACKAGES: "./acme-twice" defines node type "acme.twice" twice',
    });
    writePackage(join(scratch, 'acme-other'), `${greetNode('acme.greet')}export const nodes = [greet];\n`);
    await expect(load(['./acme-greet', './acme-other'])).rejects.toMatchObject({
      message: expect.stringContaining(
        '"./acme-other" defines node type "acme.greet" too ("./acme-greet" defines it already)',
      ),
    });
  });

  it('refuses a package that brings its own copy of @flowforge/connectors-sdk, before importing it', async () => {
    writePackage(join(scratch, 'acme-copy'), `${greetNode('acme.copy')}export const nodes = [greet];\n`, {
      sdk: 'copy',
    });
    await expect(load(['./acme-copy'])).rejects.toMatchObject({
      code: 'FF_CONFIG',
      message: expect.stringMatching(
        /"\.\/acme-copy" uses another copy of @flowforge\/connectors-sdk \(.*acme-copy.*\) than the worker/,
      ),
      hint: expect.stringContaining('peer dependency'),
    });
  });
});
