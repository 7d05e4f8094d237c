import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';

export interface Connection {
  url: string;
  apiKey: string | undefined;
  /** Where the settings came from, for error messages. */
  source: string;
}

const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const DEFAULT_URL = 'http://127.0.0.1:4000';

/**
 * Where the control plane is and which key to use: FLOWFORGE_URL / FLOWFORGE_API_KEY win, else
 * `$FLOWFORGE_HOME/cli-config.json` (written by the local stack; FLOWFORGE_HOME defaults to
 * `<repo>/.flowforge`), else the local default URL without a key.
 */
export function resolveConnection(env: NodeJS.ProcessEnv = process.env): Connection {
  const home = env.FLOWFORGE_HOME || join(REPO_ROOT, '.flowforge');
  const file = join(home, 'cli-config.json');
  let saved: { url?: unknown; apiKey?: unknown } = {};
  if (existsSync(file)) {
    try {
      saved = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new FlowForgeError('FF_CONFIG', `${file} is not valid JSON`, {
        cause,
        hint: 'delete it and restart the local stack (npm start writes it again), or set FLOWFORGE_URL and FLOWFORGE_API_KEY',
      });
    }
  }
  const url = env.FLOWFORGE_URL || (typeof saved.url === 'string' ? saved.url : DEFAULT_URL);
  const apiKey = env.FLOWFORGE_API_KEY || (typeof saved.apiKey === 'string' ? saved.apiKey : undefined);
  const source = env.FLOWFORGE_URL ? 'FLOWFORGE_URL' : existsSync(file) ? file : 'the default URL';
  return { url: url.replace(/\/+$/, ''), apiKey, source };
}
