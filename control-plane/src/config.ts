import { join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { z } from 'zod';

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
});

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
  };
}
