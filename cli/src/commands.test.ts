import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.ts';

const root = join(import.meta.dirname, '..', '..');
const SOURCES = ['connectors-sdk/src', 'control-plane/src', 'workers/src', 'cli/src', 'docs'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|md)$/.test(entry.name) && !entry.parentPath.includes('generated'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('hints name commands that exist', () => {
  it('every `flowforge <topic> <command>` in the code, its hints and the docs is a command of this CLI', () => {
    const files = [
      ...SOURCES.flatMap(filesUnder),
      ...['README.md', 'cli/README.md', 'control-plane/README.md', 'workers/README.md'].map((file) => join(root, file)),
    ];
    const missing: string[] = [];
    let mentions = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // `flowforge runs show`, `flowforge approve|reject` and `flowforge runs cancel|pause` alike.
      for (const [mention, topic, commands] of text.matchAll(/flowforge (workflow|runs|approvals) ([a-z][a-z|-]*)/g)) {
        for (const command of commands?.split('|') ?? []) {
          mentions++;
          if (!(`${topic}:${command}` in COMMANDS)) missing.push(`${relative(root, file)}: ${mention}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(mentions, 'the scan found the hints at all').toBeGreaterThan(20);
  });
});
