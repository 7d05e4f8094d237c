import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The package arrows are a lint rule (biome.json, noRestrictedImports per folder), so `npm test`
 * fails when one is broken. These cases lint a one-line probe file placed in that folder for the
 * moment of the check, so the rule itself is tested, not only today's code.
 */
const root = join(import.meta.dirname, '..', '..');
const biome = join(root, 'node_modules', '.bin', 'biome');

function lint(path: string, source: string): string {
  const file = join(root, dirname(path), `import-probe-${randomUUID().slice(0, 8)}.ts`);
  writeFileSync(file, source);
  try {
    const result = spawnSync(biome, ['lint', file], { cwd: root, encoding: 'utf8' });
    return `${result.stdout}${result.stderr}`;
  } finally {
    rmSync(file, { force: true });
  }
}

const refused = (output: string) => output.includes('noRestrictedImports');

describe('the import arrows', () => {
  it('the control plane and the CLI may not import the worker package', () => {
    expect(refused(lint('control-plane/src/probe.ts', "import '@flowforge/workers/nodes';\n"))).toBe(true);
    expect(refused(lint('cli/src/probe.ts', "import '@flowforge/workers';\n"))).toBe(true);
    expect(refused(lint('control-plane/src/probe.ts', "import '../../workers/src/run-dag.ts';\n"))).toBe(true);
    expect(refused(lint('control-plane/src/probe.ts', "import '@flowforge/connectors-sdk/contract';\n"))).toBe(false);
  });

  it('the interpreter may not import activities, Temporal or I/O', () => {
    expect(refused(lint('workers/src/interpreter/probe.ts', "import '../activities/execute-node.ts';\n"))).toBe(true);
    expect(refused(lint('workers/src/interpreter/probe.ts', "import '@temporalio/workflow';\n"))).toBe(true);
    expect(refused(lint('workers/src/interpreter/probe.ts', "import '@flowforge/connectors-sdk';\n"))).toBe(false);
  });

  it('workflow code and the contract may not import I/O; the activities contract is allowed', () => {
    expect(refused(lint('workers/src/workflows/probe.ts', "import 'node:fs';\n"))).toBe(true);
    expect(refused(lint('workers/src/workflows/probe.ts', "import '../activities/execute-node.ts';\n"))).toBe(true);
    expect(refused(lint('workers/src/workflows/probe.ts', "import '@flowforge/connectors-sdk/runtime';\n"))).toBe(true);
    expect(refused(lint('connectors-sdk/src/contract/probe.ts', "import 'node:crypto';\n"))).toBe(true);
    expect(refused(lint('workers/src/workflows/probe.ts', "import '../activities/contract.ts';\n"))).toBe(false);
  });
});
