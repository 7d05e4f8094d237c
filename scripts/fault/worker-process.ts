import { type ServiceProcess, startServiceProcess } from './service-process.ts';

export interface WorkerProcessOptions {
  temporalAddress: string;
  taskQueue: string;
  /** The control plane's run-signing public key (PEM). */
  publicKeyPem: string;
  /** FLOWFORGE_HOME of the worker: its artefacts go under it. */
  home: string;
  /** A name for the log lines, e.g. `worker-2`. */
  name: string;
  /** Every output line, prefixed with the name. */
  log: (line: string) => void;
  /** Called as soon as the process exists, before it is ready: lets the caller clean it up whatever happens next. */
  onSpawn?: (worker: WorkerProcess) => void;
  /** Where nodes fetch credentials: the control plane's URL and worker token (FLOWFORGE_CONTROL_PLANE_URL, FLOWFORGE_WORKER_TOKEN). */
  controlPlane?: { url: string; workerToken: string };
  /** More variables (FLOWFORGE_LOG_LEVEL...). */
  env?: NodeJS.ProcessEnv;
}

/** A worker running as `npm start` runs it: `node --import tsx workers/src/main.ts`, a process of its own. */
export type WorkerProcess = ServiceProcess;

/** Starts the worker process and resolves once it says it polls the task queue. */
export function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  return startServiceProcess({
    entry: 'workers/src/main.ts',
    env: {
      ...process.env,
      FLOWFORGE_HOME: options.home,
      FLOWFORGE_TEMPORAL_ADDRESS: options.temporalAddress,
      FLOWFORGE_TASK_QUEUE: options.taskQueue,
      FLOWFORGE_RUN_SIGNING_PUBLIC_KEY: options.publicKeyPem,
      ...(options.controlPlane
        ? {
            FLOWFORGE_CONTROL_PLANE_URL: options.controlPlane.url,
            FLOWFORGE_WORKER_TOKEN: options.controlPlane.workerToken,
          }
        : {}),
      ...options.env,
    },
    readyLine: 'worker ready on task queue',
    name: options.name,
    log: options.log,
    onSpawn: options.onSpawn,
  });
}
