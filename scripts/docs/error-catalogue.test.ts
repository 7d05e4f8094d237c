import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCode } from '@flowforge/connectors-sdk';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../cli/src/exit-codes.ts';
import { httpStatusOf } from '../../control-plane/src/http-status.ts';

/** docs/errors.md names every FF_* code the repository uses, with the status and exit code the code gives. */
const root = join(import.meta.dirname, '..', '..');
const catalogue = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
/** FF_* names that are not error codes: the toolchain's shell variables and the placeholder in docs. */
const NOT_ERROR_CODES = new Set([
  'FF_CACHE',
  'FF_CODE',
  'FF_HADOLINT',
  'FF_HADOLINT_VERSION',
  'FF_HELM',
  'FF_HELM_VERSION',
  'FF_KUBERNETES_VALIDATE',
  'FF_KUBEVAL_VERSION',
  'FF_NODE',
  'FF_NODE_VERSION',
  'FF_PNPM',
  'FF_PNPM_VERSION',
  'FF_ROOT',
  'FF_TEMPORAL',
  'FF_TEMPORAL_VERSION',
  'FF_TOOLS',
]);

function rowOf(code: string): string[] | undefined {
  // Rows as biome formats them: cells padded to the column's width.
  return catalogue
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .find((cells) => cells[0] === '' && cells[1] === `\`${code}\``);
}

describe('docs/errors.md', () => {
  it('documents every FF_* code used anywhere in the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && !file.endsWith('pnpm-lock.yaml') && file !== 'docs/errors.md');
    const used = new Set<string>();
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the work tree, or a directory (a submodule)
      }
      for (const [code] of text.matchAll(/\bFF_[A-Z][A-Z0-9_]*[A-Z0-9]\b/g))
        if (!NOT_ERROR_CODES.has(code)) used.add(code);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((code) => !rowOf(code)).sort()).toEqual([]);
  });

  it('gives each catalogue code the HTTP status and the CLI exit code the code itself gives', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const row = rowOf(code);
      expect(row, code).toBeDefined();
      const [, , , http, exit] = row ?? [];
      expect(Number.parseInt(http ?? '', 10), `${code} HTTP`).toBe(httpStatusOf(code));
      expect(Number(exit), `${code} exit`).toBe(exitCodeOf(code));
      expect(row?.[5]?.length ?? 0, `${code} says what to do`).toBeGreaterThan(10);
    }
  });
});
