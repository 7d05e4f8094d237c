import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import {
  type ControlPlaneProcess,
  readControlPlaneHome,
  startControlPlaneProcess,
} from '../../fault/control-plane-process.ts';
import type { ServiceProcess } from '../../fault/service-process.ts';
import { startWorkerProcess } from '../../fault/worker-process.ts';
import { freePort } from '../../stack/ports.ts';
import { createTestDatabase, type GraphQL, graphqlClient, uniqueName } from '../../test-env/index.ts';

/** A control plane and a worker as npm start runs them (processes of their own), on a task queue of their own. */
export interface ServiceProcesses {
  controlPlane: ControlPlaneProcess;
  worker: ServiceProcess;
  graphql: GraphQL;
  databaseUrl: string;
  taskQueue: string;
  /** Every output line of both, prefixed `[control-plane] ` or `[worker] `. */
  logs: string[];
  /** The JSON (pino) lines one of them wrote, parsed; its other lines are start-up banners. */
  jsonLines(service: 'control-plane' | 'worker'): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startServiceProcesses(options: {
  /** The task queue's prefix. */
  name: string;
  controlPlaneEnv?: NodeJS.ProcessEnv;
  workerEnv?: NodeJS.ProcessEnv;
}): Promise<ServiceProcesses> {
  const dir = mkdtempSync(join(tmpdir(), `flowforge-${options.name}-`));
  mkdirSync(join(dir, 'worker'));
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const taskQueue = uniqueName(options.name);
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  let controlPlane: ControlPlaneProcess | undefined;
  let worker: ServiceProcess | undefined;
  const stop = async () => {
    await Promise.allSettled([worker?.kill('SIGTERM'), controlPlane?.kill('SIGTERM')]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    controlPlane = await startControlPlaneProcess({
      home: join(dir, 'control-plane'),
      databaseUrl,
      temporalAddress: inject('temporalAddress'),
      taskQueue,
      port: await freePort(),
      name: 'control-plane',
      log,
      env: options.controlPlaneEnv ?? {},
    });
    const home = readControlPlaneHome(join(dir, 'control-plane'));
    worker = await startWorkerProcess({
      temporalAddress: inject('temporalAddress'),
      taskQueue,
      publicKeyPem: home.publicKeyPem,
      home: join(dir, 'worker'),
      name: 'worker',
      log,
      controlPlane: { url: controlPlane.url, workerToken: home.workerToken },
      env: options.workerEnv ?? {},
    });
    return {
      controlPlane,
      worker,
      graphql: graphqlClient(controlPlane.url, home.apiKey),
      databaseUrl,
      taskQueue,
      logs,
      jsonLines: (service) =>
        logs
          .filter((line) => line.startsWith(`[${service}] {`))
          .map((line) => JSON.parse(line.slice(service.length + 3)) as Record<string, unknown>),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
  }
}
