import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the `flowforge` CLI as a user would (`cli/bin/run.ts` under tsx), against the control plane
 * whose home holds cli-config.json (its URL and local admin key). Resolves with stdout; a non-zero
 * exit rejects with the CLI's output.
 */
export async function flowforgeCli(home: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'cli', 'bin', 'run.ts'), ...args], {
    cwd: root,
    env: { ...process.env, FLOWFORGE_HOME: home, FLOWFORGE_URL: '', FLOWFORGE_API_KEY: '' },
    timeout: 60_000,
  });
  return stdout;
}
