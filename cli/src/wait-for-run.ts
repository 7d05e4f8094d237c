import type { ControlPlaneClient } from './control-plane-client.ts';
import { progress } from './output.ts';
import { RUN_VIEW_FIELDS, type RunView, runAnswer } from './run-view.ts';

/** Seconds the control plane waits per request (it waits server-side; the CLI never polls fast). */
const WAIT_PER_REQUEST = 30;

export async function fetchRun(client: ControlPlaneClient, runId: string, waitSeconds = 0): Promise<RunView> {
  const data = await client.request(
    `query ($id: ID!, $wait: Int) { run(id: $id, waitSeconds: $wait) { ${RUN_VIEW_FIELDS} } }`,
    { id: runId, wait: waitSeconds },
    runAnswer('run'),
  );
  return data.run;
}

/** Waits until the run ends, printing a progress line on stderr whenever something changed. */
export async function waitForRun(client: ControlPlaneClient, runId: string): Promise<RunView> {
  let last = '';
  for (;;) {
    const run = await fetchRun(client, runId, WAIT_PER_REQUEST);
    const line = progressLine(run);
    if (line !== last) progress(line);
    last = line;
    if (run.status !== 'RUNNING') return run;
  }
}

function progressLine(run: RunView): string {
  const nodes = Object.values(run.nodes);
  const done = nodes.filter((node) => ['succeeded', 'failed', 'skipped'].includes(node.status)).length;
  const note = run.status === 'RUNNING' && run.note ? ` (${run.note})` : '';
  return `run ${run.runId}: ${run.status}, ${done} node${done === 1 ? '' : 's'} done${note}`;
}
