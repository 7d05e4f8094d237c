import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';

/** Parses JSON given on the command line; FF_BAD_INPUT (exit 2) names the flag. */
export function parseJsonFlag(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new FlowForgeError('FF_BAD_INPUT', `${flag} is not valid JSON: ${(cause as Error).message}`, {
      path: [flag],
      hint: `quote it for the shell, e.g. ${flag} '{"name":"Ada"}'`,
    });
  }
}

/** Reads and parses a JSON file (relative to the working directory); FF_BAD_INPUT names the file. */
export function readJsonFile(file: string, what: string): unknown {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `cannot read ${what} ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        path: [file],
        hint: 'check the path (it is relative to the current directory)',
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new FlowForgeError('FF_BAD_INPUT', `${what} ${file} is not valid JSON: ${(cause as Error).message}`, {
      path: [file],
    });
  }
}
