import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';
import { createApiKey, findApiKey } from './api-keys.ts';

export const LOCAL_ADMIN_KEY_NAME = 'local-admin';
/** The local admin acts as user "admin" with the admin role (it may decide any approval). */
export const LOCAL_ADMIN = { user: 'admin', roles: ['admin'] } as const;

export interface CliConfig {
  url: string;
  apiKey: string;
}

export function cliConfigFile(home: string): string {
  return join(home, 'cli-config.json');
}

export function readCliConfig(file: string): Partial<CliConfig> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<CliConfig>;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `$home/cli-config.json` (mode 0600) holds a key that works against this database, so
 * the CLI needs no login on the local stack. An existing valid key is kept (only the URL is
 * refreshed); a missing file, or a key this database does not know, gets a new local admin key.
 */
export async function ensureLocalAdminKey(
  prisma: PrismaClient,
  options: { home: string; url: string },
): Promise<{ apiKey: string; created: boolean }> {
  const file = cliConfigFile(options.home);
  const existing = readCliConfig(file);
  let apiKey = typeof existing?.apiKey === 'string' ? existing.apiKey : undefined;
  const valid = apiKey !== undefined && (await findApiKey(prisma, apiKey)) !== undefined;
  if (valid && existing?.url === options.url) return { apiKey: apiKey as string, created: false };
  if (!valid) {
    apiKey = (await createApiKey(prisma, LOCAL_ADMIN_KEY_NAME, LOCAL_ADMIN)).key;
    await recordAudit(prisma, {
      actor: 'system',
      action: 'api-key.create',
      target: `api-key:${LOCAL_ADMIN_KEY_NAME}`,
      data: { reason: existing ? 'cli-config.json held a key this database does not know' : 'first start' },
    });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ url: options.url, apiKey }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { apiKey: apiKey as string, created: !valid };
}
