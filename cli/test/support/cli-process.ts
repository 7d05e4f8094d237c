import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const shim = join(import.meta.dirname, '..', '..', '..', 'flowforge');

/** Runs the ./flowforge shim as users do, against `target` (a control plane URL and API key), in `cwd`. */
export function runCli(target: { url: string; apiKey: string }, cwd: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      shim,
      args,
      {
        cwd,
        env: { ...process.env, FLOWFORGE_URL: target.url, FLOWFORGE_API_KEY: target.apiKey, FLOWFORGE_HOME: cwd },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
