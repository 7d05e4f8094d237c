import { join } from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** The local stack's settings, read once from FLOWFORGE_* variables, with laptop defaults. */
const StackEnvSchema = z.object({
  FLOWFORGE_HOME: z.string().optional(),
  FLOWFORGE_PORT: port(4000),
  FLOWFORGE_TEMPORAL_PORT: port(7233),
  FLOWFORGE_TEMPORAL_UI_PORT: port(8233),
  FLOWFORGE_POSTGRES_PORT: port(54329),
  /** The worker's Prometheus /metrics (9464: the port OpenTelemetry's Prometheus exporter uses too). */
  FLOWFORGE_WORKER_METRICS_PORT: port(9464),
  /** An external PostgreSQL instead of the embedded one. */
  FLOWFORGE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** An external Temporal (host:port) instead of the dev server. */
  FLOWFORGE_TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:]+:\d+$/)
    .optional(),
});

export interface StackConfig {
  root: string;
  home: string;
  port: number;
  temporalPort: number;
  temporalUiPort: number;
  postgresPort: number;
  workerMetricsPort: number;
  databaseUrl?: string;
  temporalAddress?: string;
}

export function readStackConfig(root: string, env: NodeJS.ProcessEnv): StackConfig {
  const parsed = StackEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`FF_CONFIG: invalid environment variables:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    root,
    home: e.FLOWFORGE_HOME ?? join(root, '.flowforge'),
    port: e.FLOWFORGE_PORT,
    temporalPort: e.FLOWFORGE_TEMPORAL_PORT,
    temporalUiPort: e.FLOWFORGE_TEMPORAL_UI_PORT,
    postgresPort: e.FLOWFORGE_POSTGRES_PORT,
    workerMetricsPort: e.FLOWFORGE_WORKER_METRICS_PORT,
    databaseUrl: e.FLOWFORGE_DATABASE_URL,
    temporalAddress: e.FLOWFORGE_TEMPORAL_ADDRESS,
  };
}
