import { join } from 'node:path';
import { DurationSchema, durationToMs, FlowForgeError } from '@flowforge/connectors-sdk';
import { DEFAULT_TASK_QUEUE } from '@flowforge/connectors-sdk/contract';
import { z } from 'zod';
import { DEFAULT_CLAIM_CHECK_BYTES } from './artifacts/claim-check.ts';
import { type CircuitSettings, DEFAULT_CIRCUIT_BREAKER } from './circuit-breaker/index.ts';
import { DEFAULT_MAX_CACHED_WORKFLOWS, DEFAULT_MAX_IN_FLIGHT_NODES, MAX_IN_FLIGHT_LIMIT } from './worker.ts';

/** npm start's control plane. */
export const DEFAULT_CONTROL_PLANE_URL = 'http://127.0.0.1:4000';

/** The worker's settings from `FLOWFORGE_*` environment variables, read and checked once at start-up. */
const EnvSchema = z.object({
  FLOWFORGE_HOME: z.string().min(1).optional(),
  FLOWFORGE_TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, { error: 'a host:port, like 127.0.0.1:7233' })
    .default('127.0.0.1:7233'),
  FLOWFORGE_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  FLOWFORGE_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: z
    .string()
    .includes('BEGIN PUBLIC KEY', { error: 'a PEM public key ("-----BEGIN PUBLIC KEY-----...")' })
    .optional(),
  FLOWFORGE_ARTIFACTS_DIR: z.string().min(1).optional(),
  FLOWFORGE_CLAIM_CHECK_BYTES: z.coerce
    .number({ error: 'a number of bytes' })
    .int({ error: 'a whole number of bytes' })
    .min(1024, { error: 'at least 1024 bytes' })
    .max(1_900_000, { error: 'at most 1900000 bytes (Temporal refuses payloads over 2 MB)' })
    .default(DEFAULT_CLAIM_CHECK_BYTES),
  // http.request circuit breaker thresholds for nodes that set none.
  FLOWFORGE_CIRCUIT_BREAKER_FAILURES: z.coerce
    .number({ error: 'a whole number of failures' })
    .int({ error: 'a whole number of failures' })
    .min(1, { error: 'at least 1' })
    .default(DEFAULT_CIRCUIT_BREAKER.failures),
  FLOWFORGE_CIRCUIT_BREAKER_WINDOW: DurationSchema.default('60s'),
  FLOWFORGE_CIRCUIT_BREAKER_COOL_DOWN: DurationSchema.default('30s'),
  // How many runs the worker keeps in memory between workflow tasks (the Temporal SDK's workflow
  // cache); a run out of it is replayed from its history when it next has work. 0 turns it off.
  FLOWFORGE_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'a whole number of runs' })
    .int({ error: 'a whole number of runs' })
    .refine((runs) => runs === 0 || runs >= 2, { error: '0 (no cache) or at least 2 runs' })
    .default(DEFAULT_MAX_CACHED_WORKFLOWS),
  // At most this many nodes of one run in progress at once (its wide fan-outs start in waves).
  FLOWFORGE_MAX_IN_FLIGHT_NODES: z.coerce
    .number({ error: 'a whole number of nodes' })
    .int({ error: 'a whole number of nodes' })
    .min(1, { error: 'at least 1' })
    .max(MAX_IN_FLIGHT_LIMIT, {
      error: `at most ${MAX_IN_FLIGHT_LIMIT} (Temporal holds 2,000 pending activities per run)`,
    })
    .default(DEFAULT_MAX_IN_FLIGHT_NODES),
  // Pure nodes (set, if, switch...) as local activities: "false" runs every node as a remote activity.
  FLOWFORGE_LOCAL_PURE_NODES: z.enum(['true', 'false'], { error: '"true" or "false"' }).default('true'),
  // How long one entry into the workflow sandbox may run ("5s"...), or "off" (the default: the
  // watchdog costs a thread per entry; docs/PERFORMANCE.md, "Webhooks").
  FLOWFORGE_WORKFLOW_WATCHDOG: z
    .string()
    .refine((value) => value === 'off' || DurationSchema.safeParse(value).success, {
      error: '"off" or a duration such as "5s"',
    })
    .default('off'),
  // "on" keeps a stack trace per promise for Temporal Web's Stack Trace tab (off: half the
  // workflow thread's CPU; docs/PERFORMANCE.md, "Webhooks").
  FLOWFORGE_WORKFLOW_STACK_TRACES: z.enum(['on', 'off'], { error: '"on" or "off"' }).default('off'),
  // Log process.memoryUsage() every N seconds (off unless set): where a worker's memory goes.
  FLOWFORGE_MEMORY_REPORT_SECONDS: z.coerce
    .number({ error: 'a whole number of seconds' })
    .int({ error: 'a whole number of seconds' })
    .min(1, { error: 'at least 1 second' })
    .optional(),
  // Extra node packages: module names or paths, comma-separated, resolved from the working directory.
  FLOWFORGE_NODE_PACKAGES: z.string().optional(),
  // Where nodes fetch their credentials (the resolution channel); npm start's control plane by default.
  FLOWFORGE_CONTROL_PLANE_URL: z
    .url({ protocol: /^https?$/, error: 'an http:// or https:// URL, like http://127.0.0.1:4000' })
    .default(DEFAULT_CONTROL_PLANE_URL),
  // The token the control plane accepts from workers; else read from $FLOWFORGE_HOME/keys/worker-token.
  FLOWFORGE_WORKER_TOKEN: z
    .string()
    .min(32, { error: 'at least 32 characters (the control plane makes one)' })
    .optional(),
  // The same variable as the control plane's; the Temporal SDK's INFO lines (bundling, state changes) stay out by default.
  FLOWFORGE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('warn'),
  // Prometheus text at http://<host>:<port>/metrics (observability/metrics.ts); off unless set.
  FLOWFORGE_WORKER_METRICS_PORT: z.coerce
    .number({ error: 'a port number, like 9464' })
    .int({ error: 'a whole port number, like 9464' })
    .min(1, { error: 'a port from 1 to 65535' })
    .max(65_535, { error: 'a port from 1 to 65535' })
    .optional(),
  // Where the metrics port listens: every interface by default, so a scraper on the pod network reaches it.
  FLOWFORGE_WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
});

export interface WorkerConfig {
  home: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Inline PEM, when FLOWFORGE_RUN_SIGNING_PUBLIC_KEY is set. */
  publicKeyPem: string | undefined;
  /** Where the control plane writes its public key otherwise. */
  publicKeyFile: string;
  artifactsDir: string;
  claimCheckBytes: number;
  /** Default circuit breaker thresholds (FLOWFORGE_CIRCUIT_BREAKER_FAILURES, _WINDOW, _COOL_DOWN). */
  circuitBreaker: Required<CircuitSettings>;
  /** FLOWFORGE_MAX_CACHED_WORKFLOWS: the Temporal SDK's `maxCachedWorkflows`. */
  maxCachedWorkflows: number;
  /** FLOWFORGE_MAX_IN_FLIGHT_NODES: at most this many nodes of one run in progress at once. */
  maxInFlightNodes: number;
  /** FLOWFORGE_NODE_PACKAGES: packages whose node types this worker runs beside the built-in ones. */
  nodePackages: string[];
  /** FLOWFORGE_LOCAL_PURE_NODES: pure nodes as local activities. */
  localPureNodes: boolean;
  /** FLOWFORGE_WORKFLOW_WATCHDOG: Temporal's isolateExecutionTimeout, or 'off'. */
  workflowWatchdog: string;
  /** FLOWFORGE_WORKFLOW_STACK_TRACES: stack traces for Temporal Web's Stack Trace tab. */
  workflowStackTraces: boolean;
  /** FLOWFORGE_MEMORY_REPORT_SECONDS: log the worker's memory this often; undefined: never. */
  memoryReportSeconds: number | undefined;
  /** FLOWFORGE_CONTROL_PLANE_URL and FLOWFORGE_WORKER_TOKEN (else the token file in the home). */
  controlPlane: { url: string; token: string | { file: string } };
  /** FLOWFORGE_LOG_LEVEL: pino's level for the worker's JSON log lines, the Temporal SDK's included. */
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** FLOWFORGE_WORKER_METRICS_PORT / _HOST: where /metrics answers; undefined: no metrics at all. */
  metrics: { host: string; port: number } | undefined;
}

/** Throws FF_CONFIG naming the variable and what it should look like. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): WorkerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      code: 'FF_CONFIG' as const,
      message: `${String(issue.path[0])}: ${issue.message}`,
      path: issue.path.map(String),
    }));
    throw new FlowForgeError('FF_CONFIG', `invalid worker configuration: ${issues.map((i) => i.message).join('; ')}`, {
      issues,
      hint: 'fix the environment variable(s) named above and start the worker again',
    });
  }
  const vars = parsed.data;
  const home = vars.FLOWFORGE_HOME ?? join(cwd, '.flowforge');
  return {
    home,
    temporalAddress: vars.FLOWFORGE_TEMPORAL_ADDRESS,
    namespace: vars.FLOWFORGE_TEMPORAL_NAMESPACE,
    taskQueue: vars.FLOWFORGE_TASK_QUEUE,
    publicKeyPem: vars.FLOWFORGE_RUN_SIGNING_PUBLIC_KEY,
    publicKeyFile: join(home, 'keys', 'run-signing.pub'),
    artifactsDir: vars.FLOWFORGE_ARTIFACTS_DIR ?? join(home, 'artifacts'),
    claimCheckBytes: vars.FLOWFORGE_CLAIM_CHECK_BYTES,
    circuitBreaker: {
      failures: vars.FLOWFORGE_CIRCUIT_BREAKER_FAILURES,
      windowMs: durationToMs(vars.FLOWFORGE_CIRCUIT_BREAKER_WINDOW),
      coolDownMs: durationToMs(vars.FLOWFORGE_CIRCUIT_BREAKER_COOL_DOWN),
    },
    maxCachedWorkflows: vars.FLOWFORGE_MAX_CACHED_WORKFLOWS,
    maxInFlightNodes: vars.FLOWFORGE_MAX_IN_FLIGHT_NODES,
    nodePackages: (vars.FLOWFORGE_NODE_PACKAGES ?? '')
      .split(',')
      .map((specifier) => specifier.trim())
      .filter((specifier) => specifier !== ''),
    localPureNodes: vars.FLOWFORGE_LOCAL_PURE_NODES === 'true',
    workflowWatchdog: vars.FLOWFORGE_WORKFLOW_WATCHDOG,
    workflowStackTraces: vars.FLOWFORGE_WORKFLOW_STACK_TRACES === 'on',
    memoryReportSeconds: vars.FLOWFORGE_MEMORY_REPORT_SECONDS,
    controlPlane: {
      url: vars.FLOWFORGE_CONTROL_PLANE_URL,
      token: vars.FLOWFORGE_WORKER_TOKEN ?? { file: join(home, 'keys', 'worker-token') },
    },
    logLevel: vars.FLOWFORGE_LOG_LEVEL,
    metrics:
      vars.FLOWFORGE_WORKER_METRICS_PORT === undefined
        ? undefined
        : { host: vars.FLOWFORGE_WORKER_METRICS_HOST, port: vars.FLOWFORGE_WORKER_METRICS_PORT },
  };
}
