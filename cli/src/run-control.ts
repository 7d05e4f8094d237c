import { z } from '@flowforge/connectors-sdk';
import type { ControlPlaneClient } from './control-plane-client.ts';
import { RUN_VIEW_FIELDS, RunViewSchema, runJson } from './run-view.ts';

/** A run as the run control mutations answer it: the RunView plus the paused flag and reused nodes. */
const ControlledRunSchema = RunViewSchema.extend({ paused: z.boolean(), reused: z.array(z.string()) });
export type ControlledRun = z.infer<typeof ControlledRunSchema>;

export type RunControlMutation = 'cancelRun' | 'pauseRun' | 'resumeRun' | 'retryRun';

export async function controlRun(
  client: ControlPlaneClient,
  mutation: RunControlMutation,
  runId: string,
): Promise<ControlledRun> {
  const data = await client.request(
    `mutation ($id: ID!) { ${mutation}(id: $id) { ${RUN_VIEW_FIELDS} reused } }`,
    { id: runId },
    z.object({ [mutation]: ControlledRunSchema } as Record<RunControlMutation, typeof ControlledRunSchema>),
  );
  return data[mutation];
}

/** The `--json` shape of cancel, pause and resume (a contract): run --wait's shape plus `paused`. */
export function controlledRunJson(run: ControlledRun) {
  return { ...runJson(run), paused: run.paused };
}
