import { join } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { temporalTlsFromEnv } from '@flowforge/connectors-sdk/temporal-tls';
import { buildApp } from './app.ts';
import { ensureLocalAdminKey } from './auth/cli-config.ts';
import { readConfig } from './config.ts';
import { controlPlaneLoggerOptions } from './observability/logging.ts';
import { startControlPlaneTracing } from './observability/tracing.ts';

/**
 * `node --import tsx control-plane/src/main.ts`, as npm start runs it. Reads FLOWFORGE_* once,
 * writes the local admin key into $FLOWFORGE_HOME/cli-config.json before it answers /healthz
 * (the stack waits for that, then the CLI needs no login), and closes cleanly on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = readConfig(process.env, join(import.meta.dirname, '..', '..'));
  // OTEL_* variables; undefined (nothing registered) without OTEL_EXPORTER_OTLP_ENDPOINT.
  const tracing = startControlPlaneTracing(process.env);
  const app = await buildApp({
    databaseUrl: config.databaseUrl,
    temporalAddress: config.temporalAddress,
    temporalTls: temporalTlsFromEnv(process.env),
    namespace: config.namespace,
    home: config.home,
    taskQueue: config.taskQueue,
    runSigningPrivateKeyPem: config.runSigningPrivateKeyPem,
    artifactsDir: config.artifactsDir,
    webhookBodyLimit: config.webhookBodyLimit,
    secrets: config.secrets,
    workerToken: config.workerToken,
    auth: config.auth,
    tracing,
    logger: controlPlaneLoggerOptions(config.logLevel),
    metricsToken: config.metricsToken,
    protection: config.protection,
  });
  // After the server closed: the spans of its last requests are exported.
  if (tracing) app.addHook('onClose', () => tracing.shutdown());
  let closing = false;
  // Graceful: /readyz answers 503 at once, the listener stops taking connections, requests in
  // flight finish (idle keep-alive connections are closed), then the Temporal clients and Prisma
  // close (app.ts's onClose). A request that outlives FLOWFORGE_SHUTDOWN_TIMEOUT does not keep the
  // process: it exits 1 then.
  const close = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing (in-flight requests finish first)`);
    app.flowforge.health.drain();
    const deadline = setTimeout(() => {
      console.error(`FF_UNAVAILABLE: requests still in flight after ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    app.close().then(
      () => {
        console.log('control plane closed');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => close('SIGTERM'));
  process.on('SIGINT', () => close('SIGINT'));

  const urlOf = (port: number) => `http://${clientHost(config.host)}:${port}`;
  // With a fixed port the config is written before listening, so /healthz never answers before it exists.
  if (config.port !== 0)
    await ensureLocalAdminKey(app.flowforge.services.prisma, { home: config.home, url: urlOf(config.port) });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.port === 0)
    await ensureLocalAdminKey(app.flowforge.services.prisma, { home: config.home, url: urlOf(port) });
  console.log(`control plane listening on ${urlOf(port)}`);
}

/** The address a client on this machine uses for a server bound to `host`. */
function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

main().catch((error: unknown) => {
  if (error instanceof FlowForgeError) {
    console.error(`${error.code}: ${error.message}${error.hint ? `\n  what to do: ${error.hint}` : ''}`);
  } else {
    console.error('FF_INTERNAL: the control plane could not start:', error);
  }
  process.exit(1);
});
