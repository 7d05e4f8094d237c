import { execFile } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

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

/** The ./flowforge shim as a child process, as users run it, against `target`; never rejects. */
export function runShim(target: CliTarget, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      join(root, 'flowforge'),
      args,
      {
        cwd: target.home,
        env: {
          ...process.env,
          FLOWFORGE_URL: target.url,
          FLOWFORGE_API_KEY: target.apiKey,
          FLOWFORGE_HOME: target.home,
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
