import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface ControlPlaneProcessOptions {
  /** FLOWFORGE_HOME: signing keys and cli-config.json; a restart on the same home keeps both. */
  home: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** A fixed port, so a restarted control plane answers where the first one did. */
  port: number;
  /** A name for the log lines, e.g. `control-plane-2`. */
  name: string;
  log: (line: string) => void;
  /** Called as soon as the process exists: lets the caller clean it up whatever happens next. */
  onSpawn?: (controlPlane: ControlPlaneProcess) => void;
  /** More variables (FLOWFORGE_LOG_LEVEL, FLOWFORGE_SECRETS_BACKEND...). */
  env?: NodeJS.ProcessEnv;
}

/** The control plane as npm start runs it: `node --import tsx control-plane/src/main.ts`, a process of its own. */
export interface ControlPlaneProcess extends ServiceProcess {
  readonly url: string;
}

/** Starts the control plane and resolves once it says it listens (it wrote cli-config.json before). */
export async function startControlPlaneProcess(options: ControlPlaneProcessOptions): Promise<ControlPlaneProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const service = await startServiceProcess({
    entry: 'control-plane/src/main.ts',
    env: {
      ...process.env,
      FLOWFORGE_HOME: options.home,
      FLOWFORGE_DATABASE_URL: options.databaseUrl,
      FLOWFORGE_TEMPORAL_ADDRESS: options.temporalAddress,
      FLOWFORGE_TASK_QUEUE: options.taskQueue,
      FLOWFORGE_PORT: String(options.port),
      FLOWFORGE_HOST: '127.0.0.1',
      ...options.env,
    },
    readyLine: 'control plane listening on',
    name: options.name,
    log: options.log,
    onSpawn: (spawned) => options.onSpawn?.({ ...spawned, url }),
  });
  return { ...service, url };
}

/** What the control plane leaves in its home for the CLI and workers: the local admin key, the run-signing public key and the worker token. */
export function readControlPlaneHome(home: string): { apiKey: string; publicKeyPem: string; workerToken: string } {
  const config = JSON.parse(readFileSync(join(home, 'cli-config.json'), 'utf8')) as { apiKey: string };
  return {
    apiKey: config.apiKey,
    publicKeyPem: readFileSync(join(home, 'keys', 'run-signing.pub'), 'utf8'),
    workerToken: readFileSync(join(home, 'keys', 'worker-token'), 'utf8').trim(),
  };
}
