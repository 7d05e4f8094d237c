import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import { pino } from 'pino';

export type WorkerLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The Temporal SDK's Logger over pino: one JSON line per message on stdout, with the SDK's metadata
 * (workflowId, activityId, attempt, taskQueue, and for nodes runId, nodeId, workflow, version) as
 * fields. An `error` becomes pino's `err`, so its message and stack are kept instead of `{}`.
 */
export class PinoTemporalLogger implements Logger {
  private readonly logger: pino.Logger;

  constructor(logger: pino.Logger) {
    this.logger = logger;
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const method = level.toLowerCase() as WorkerLogLevel;
    if (!this.logger.isLevelEnabled(method)) return;
    if (!meta) {
      this.logger[method](message);
      return;
    }
    const { error, ...rest } = meta as LogMetadata & { error?: unknown };
    this.logger[method](error === undefined ? rest : { ...rest, err: error }, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

export function createWorkerLogger(level: WorkerLogLevel): pino.Logger {
  return pino({ level, base: { service: 'flowforge-worker' } });
}

/**
 * Installs the process's Temporal Runtime once, before any connection: the SDK's log lines and Core's
 * (forwarded from Rust instead of printed beside ours) go to pino at FLOWFORGE_LOG_LEVEL; with
 * `coreMetricsAddress`, Core serves its Prometheus metrics there (observability/metrics.ts).
 */
export function installTemporalRuntime(options: {
  logger: pino.Logger;
  level: WorkerLogLevel;
  coreMetricsAddress?: string | undefined;
}): void {
  const level = options.level.toUpperCase() as LogLevel;
  Runtime.install({
    logger: new PinoTemporalLogger(options.logger),
    telemetryOptions: {
      logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
      ...(options.coreMetricsAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: options.coreMetricsAddress,
                // Prometheus' own conventions: counters end in _total, durations in seconds.
                countersTotalSuffix: true,
                useSecondsForDurations: true,
              },
            },
          }
        : {}),
    },
  });
}
