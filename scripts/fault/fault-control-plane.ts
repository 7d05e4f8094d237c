import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { buildApp, createApiKey } from '@flowforge/control-plane';
import { graphqlClient } from '../test-env/graphql-client.ts';

export interface FaultControlPlaneOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
}

export interface RunResult {
  runId: string;
  status: string;
  /** Set when the node states are missing (the runState query was not answered in time). */
  note?: string | null;
  nodes: Record<
    string,
    {
      status: string;
      attempts: number;
      error?: { code: string; message: string };
      output?: Record<string, Array<{ json: Record<string, unknown> }>>;
      childRun?: string;
    }
  >;
}

/** The control plane in the test's process (the fault tests kill the worker and Temporal, not it). */
export interface FaultControlPlane {
  url: string;
  home: string;
  publicKeyPem: string;
  /** A key with no roles or user (it decides approvals open to anyone, as "fault-test"). */
  apiKey: string;
  pushWorkflow(definition: unknown): Promise<void>;
  /** Starts a run through GraphQL, as the CLI does; returns its id. */
  startRun(workflow: string, input: unknown): Promise<string>;
  /** The run's current view, without waiting. */
  getRun(runId: string): Promise<RunResult>;
  /**
   * Waits for the run to end through GraphQL's long poll. GraphQL errors on the way (Temporal down)
   * are counted in `errors` and retried until `deadline` (epoch ms).
   */
  awaitRun(runId: string, deadline: number, errors: { count: number }): Promise<RunResult>;
  stop(): Promise<void>;
}

const RUN_FIELDS = 'runId status note nodes';
/** Reading an ended run's node states replays it on a worker; right after a crash that can miss the query deadline. */
const NODE_STATE_READS = 10;

export async function startFaultControlPlane(options: FaultControlPlaneOptions): Promise<FaultControlPlane> {
  const home = mkdtempSync(join(tmpdir(), 'flowforge-fault-cp-'));
  const app = await buildApp({ ...options, home });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { key: apiKey } = await createApiKey(app.flowforge.services.prisma, 'fault-test');

  const graphql = graphqlClient(url, apiKey);

  const getRun = async (runId: string, waitSeconds?: number) =>
    (
      await graphql<{ run: RunResult }>(
        `query ($id: ID!, $w: Int) { run(id: $id, waitSeconds: $w) { ${RUN_FIELDS} } }`,
        {
          id: runId,
          w: waitSeconds ?? null,
        },
      )
    ).run;

  return {
    url,
    home,
    publicKeyPem: app.flowforge.signingKeys.publicKeyPem,
    apiKey,
    async pushWorkflow(definition) {
      await graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', { d: definition });
    },
    async startRun(workflow, input) {
      const { startRun } = await graphql<{ startRun: { runId: string } }>(
        'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }',
        { w: workflow, i: input },
      );
      return startRun.runId;
    },
    getRun: (runId) => getRun(runId),
    async awaitRun(runId, deadline, errors) {
      for (;;) {
        const left = Math.floor((deadline - Date.now()) / 1000);
        try {
          let run = await getRun(runId, Math.max(1, Math.min(left, 60)));
          if (run.status === 'RUNNING' && left > 0) continue;
          for (let read = 1; run.note && read < NODE_STATE_READS; read++) {
            await delay(500);
            run = await getRun(runId);
          }
          return run;
        } catch (error) {
          errors.count += 1;
          if (left <= 0) throw error;
          await delay(500);
        }
      }
    },
    async stop() {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
