import type { ControlPlaneClient } from './control-plane-client.ts';
import { RUN_VIEW_FIELDS, type RunView, runJson } from './run-view.ts';

/** A run as the run control mutations answer it: the RunView plus the paused flag and reused nodes. */
export interface ControlledRun extends RunView {
  paused: boolean;
  reused: string[];
}

export type RunControlMutation = 'cancelRun' | 'pauseRun' | 'resumeRun' | 'retryRun';

export async function controlRun(
  client: ControlPlaneClient,
  mutation: RunControlMutation,
  runId: string,
): Promise<ControlledRun> {
  const data = await client.request<Record<RunControlMutation, ControlledRun>>(
    `mutation ($id: ID!) { ${mutation}(id: $id) { ${RUN_VIEW_FIELDS} reused } }`,
    { id: runId },
  );
  return data[mutation];
}

/** The `--json` shape of cancel, pause and resume (a contract): run --wait's shape plus `paused`. */
export function controlledRunJson(run: ControlledRun) {
  return { ...runJson(run), paused: run.paused };
}
