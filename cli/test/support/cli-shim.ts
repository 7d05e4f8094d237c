import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

const shim = join(import.meta.dirname, '..', '..', '..', 'flowforge');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliTarget {
  url: string;
  apiKey: string;
  /** The working directory and FLOWFORGE_HOME of the child process. */
  home: string;
}

export interface ShimOptions {
  /** On top of this process's environment and the target's FLOWFORGE_* variables. */
  env?: Record<string, string>;
  /** What the command reads from standard input (closed at once when not given). */
  stdin?: string;
}

/**
 * The ./flowforge shim as a child process, as users run it, against `target`. Resolves with its
 * exit code and output whatever the code; rejects only when the shim cannot be started.
 */
export function runShim(target: CliTarget, args: string[], options: ShimOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(shim, args, {
      cwd: target.home,
      env: {
        ...process.env,
        FLOWFORGE_URL: target.url,
        FLOWFORGE_API_KEY: target.apiKey,
        FLOWFORGE_HOME: target.home,
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * `cli(args)` and `json(args)` (the command with --json: exit code 0 expected, stdout parsed) for the
 * target a test file sets up in its beforeAll.
 */
export function shimCalls(target: () => CliTarget) {
  const cli = (args: string[]): Promise<CliResult> => runShim(target(), args);
  const json = async <T = ReturnType<typeof JSON.parse>>(args: string[]): Promise<T> => {
    const result = await cli([...args, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { cli, json };
}
