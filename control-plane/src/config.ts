import { join } from 'node:path';
import { DurationSchema, durationToMs, FlowForgeError } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { type AuthSettings, readAuthSettings } from './auth/auth-settings.ts';
import type { VaultSettings } from './credentials/vault-backend.ts';
import { PROTECTION_DEFAULTS, type ProtectionOptions } from './protection/protection-options.ts';

/** The control plane's settings, read once from `FLOWFORGE_*` variables with laptop defaults. */
const EnvSchema = z.object({
  FLOWFORGE_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  FLOWFORGE_HOST: z.string().min(1).default('127.0.0.1'),
  FLOWFORGE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }),
  FLOWFORGE_TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, { error: 'must be host:port' })
    .default('127.0.0.1:7233'),
  FLOWFORGE_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  FLOWFORGE_HOME: z.string().min(1).optional(),
  FLOWFORGE_TASK_QUEUE: z.string().min(1).default('flowforge'),
  FLOWFORGE_RUN_SIGNING_PRIVATE_KEY: z.string().min(1).optional(),
  FLOWFORGE_ARTIFACTS_DIR: z.string().min(1).optional(),
  FLOWFORGE_WEBHOOK_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(16 * 1024 * 1024),
  // Credentials: where values live (src/credentials/), and the token workers fetch them with.
  FLOWFORGE_SECRETS_BACKEND: z.enum(['local', 'vault'], { error: 'must be "local" or "vault"' }).default('local'),
  // Comma-separated base64 keys, the current first; else $FLOWFORGE_HOME/keys/encryption.key (made on first start).
  FLOWFORGE_ENCRYPTION_KEY: z.string().min(1).optional(),
  FLOWFORGE_VAULT_ADDRESS: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  FLOWFORGE_VAULT_TOKEN: z.string().min(1).optional(),
  FLOWFORGE_VAULT_MOUNT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/?$/, { error: 'must be a mount path like "secret"' })
    .default('secret'),
  FLOWFORGE_VAULT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, { error: 'must be a path like "flowforge" or "teams/ops"' })
    .default('flowforge'),
  FLOWFORGE_WORKER_TOKEN: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  // pino's level for the JSON log lines (src/observability/logging.ts).
  FLOWFORGE_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error'], { error: 'must be trace, debug, info, warn or error' })
    .default('warn'),
  // When set, GET /metrics wants "Authorization: Bearer <token>" (src/observability/metrics.ts).
  FLOWFORGE_METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  // Protection (src/protection/): see control-plane/README.md for what each limit covers.
  FLOWFORGE_MODE: z
    .enum(['development', 'production'], { error: 'must be "development" or "production"' })
    .default('development'),
  FLOWFORGE_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.url({ protocol: /^https?$/, error: 'must be comma-separated origins like https://ui.example.com' })),
    ),
  FLOWFORGE_RATE_LIMIT: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FLOWFORGE_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(PROTECTION_DEFAULTS.perKey),
  FLOWFORGE_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(PROTECTION_DEFAULTS.perIp),
  FLOWFORGE_RATE_LIMIT_WEBHOOK_PER_IP: z.coerce.number().int().min(1).default(PROTECTION_DEFAULTS.webhookPerIp),
  FLOWFORGE_RATE_LIMIT_WINDOW: DurationSchema.default('1m'),
  FLOWFORGE_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(PROTECTION_DEFAULTS.maxDepth),
  FLOWFORGE_GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(PROTECTION_DEFAULTS.maxCost),
  FLOWFORGE_SHUTDOWN_TIMEOUT: DurationSchema.default('30s'),
});

export type SecretsConfig =
  | { backend: 'local'; encryptionKey: string | undefined }
  | { backend: 'vault'; vault: VaultSettings };

export interface ControlPlaneConfig {
  port: number;
  host: string;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** State, keys and the CLI config live here. */
  home: string;
  taskQueue: string;
  /** PEM; when absent the key pair in `$home/keys` is used (generated on first start). */
  runSigningPrivateKeyPem: string | undefined;
  /** Where run inputs too big for Temporal go (big webhook bodies): the workers' artefact directory. */
  artifactsDir: string;
  /** Bytes a webhook request body may have; bigger ones are answered 413. */
  webhookBodyLimit: number;
  secrets: SecretsConfig;
  /** FLOWFORGE_WORKER_TOKEN; when absent `$home/keys/worker-token` (generated on first start). */
  workerToken: string | undefined;
  /** UI sign-in: FLOWFORGE_SESSION_*, FLOWFORGE_COOKIE_SECURE, FLOWFORGE_OIDC_* (auth/auth-settings.ts). */
  auth: AuthSettings;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** FLOWFORGE_METRICS_TOKEN; absent: /metrics answers without one. */
  metricsToken: string | undefined;
  protection: ProtectionOptions;
  /** How long SIGTERM waits for in-flight requests before it exits anyway. */
  shutdownTimeoutMs: number;
}

/** Throws FF_CONFIG naming the first wrong variable. `repoRoot` gives the default home (`<repo>/.flowforge`). */
export function readConfig(env: NodeJS.ProcessEnv, repoRoot: string): ControlPlaneConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const problem = env[variable] === undefined ? 'is not set' : `is invalid (${issue?.message})`;
    throw new FlowForgeError('FF_CONFIG', `${variable} ${problem}`, {
      path: [variable],
      hint: `set ${variable} and start again (npm start sets every variable for you)`,
    });
  }
  const e = parsed.data;
  const home = e.FLOWFORGE_HOME ?? join(repoRoot, '.flowforge');
  return {
    secrets: secretsConfig(e, env),
    workerToken: e.FLOWFORGE_WORKER_TOKEN,
    port: e.FLOWFORGE_PORT,
    host: e.FLOWFORGE_HOST,
    databaseUrl: e.FLOWFORGE_DATABASE_URL,
    temporalAddress: e.FLOWFORGE_TEMPORAL_ADDRESS,
    namespace: e.FLOWFORGE_TEMPORAL_NAMESPACE,
    home,
    artifactsDir: e.FLOWFORGE_ARTIFACTS_DIR ?? join(home, 'artifacts'),
    taskQueue: e.FLOWFORGE_TASK_QUEUE,
    runSigningPrivateKeyPem: e.FLOWFORGE_RUN_SIGNING_PRIVATE_KEY,
    webhookBodyLimit: e.FLOWFORGE_WEBHOOK_BODY_LIMIT,
    auth: readAuthSettings(env),
    logLevel: e.FLOWFORGE_LOG_LEVEL,
    metricsToken: e.FLOWFORGE_METRICS_TOKEN,
    protection: {
      mode: e.FLOWFORGE_MODE,
      corsOrigins: e.FLOWFORGE_CORS_ORIGINS.map((origin) => new URL(origin).origin),
      rateLimit:
        e.FLOWFORGE_RATE_LIMIT === 'off'
          ? false
          : {
              perKey: e.FLOWFORGE_RATE_LIMIT_PER_KEY,
              perIp: e.FLOWFORGE_RATE_LIMIT_PER_IP,
              webhookPerIp: e.FLOWFORGE_RATE_LIMIT_WEBHOOK_PER_IP,
              windowMs: durationToMs(e.FLOWFORGE_RATE_LIMIT_WINDOW),
            },
      graphql: { maxDepth: e.FLOWFORGE_GRAPHQL_MAX_DEPTH, maxCost: e.FLOWFORGE_GRAPHQL_MAX_COST },
    },
    shutdownTimeoutMs: durationToMs(e.FLOWFORGE_SHUTDOWN_TIMEOUT),
  };
}

/**
 * The secrets backend's settings. Vault needs an address and a token (FLOWFORGE_VAULT_*, or Vault's
 * own VAULT_ADDR / VAULT_TOKEN); the local backend takes no more than its key.
 */
function secretsConfig(e: z.infer<typeof EnvSchema>, env: NodeJS.ProcessEnv): SecretsConfig {
  if (e.FLOWFORGE_SECRETS_BACKEND === 'local') return { backend: 'local', encryptionKey: e.FLOWFORGE_ENCRYPTION_KEY };
  const address = e.FLOWFORGE_VAULT_ADDRESS ?? vaultFallback(env, 'VAULT_ADDR');
  const token = e.FLOWFORGE_VAULT_TOKEN ?? vaultFallback(env, 'VAULT_TOKEN');
  for (const [variable, value] of [
    ['FLOWFORGE_VAULT_ADDRESS', address],
    ['FLOWFORGE_VAULT_TOKEN', token],
  ] as const) {
    if (value === undefined) {
      throw new FlowForgeError('FF_CONFIG', `${variable} is not set, and FLOWFORGE_SECRETS_BACKEND is vault`, {
        path: [variable],
        hint: `set ${variable} (or unset FLOWFORGE_SECRETS_BACKEND to keep credentials encrypted in PostgreSQL)`,
      });
    }
  }
  if (address !== undefined && !/^https?:\/\/[^\s/]+/.test(address)) {
    throw new FlowForgeError('FF_CONFIG', 'VAULT_ADDR is invalid (must be an http:// or https:// URL)', {
      path: ['VAULT_ADDR'],
      hint: 'set FLOWFORGE_VAULT_ADDRESS to the Vault URL, like http://127.0.0.1:8200',
    });
  }
  return {
    backend: 'vault',
    vault: {
      address: (address as string).replace(/\/+$/, ''),
      token: token as string,
      mount: e.FLOWFORGE_VAULT_MOUNT.replace(/\/+$/, ''),
      prefix: e.FLOWFORGE_VAULT_PREFIX,
    },
  };
}

function vaultFallback(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}
