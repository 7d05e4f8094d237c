import { type FlowForgeError, formatPath, serializeError } from '@flowforge/connectors-sdk';
import type { NodeWait, RunView } from './run-view.ts';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Progress and diagnostics: stderr only, so stdout stays parseable. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** `FF_CODE: message`, then every issue (code, path, message), then what to do. */
export function formatError(error: FlowForgeError): string {
  const lines = [`${error.code}: ${error.message}`];
  for (const issue of error.issues) {
    lines.push(`  ${issue.code}  ${formatPath(issue.path) || '(file)'}  ${issue.message}`);
  }
  if (error.hint) lines.push(`  what to do: ${error.hint}`);
  return lines.join('\n');
}

export function errorJson(error: FlowForgeError) {
  return { error: serializeError(error) };
}

/** A readable run summary: status, then per node its status, attempts, outputs and error. */
export function formatRun(run: RunView): string {
  const paused = run.paused ? ' (paused: flowforge runs resume continues it)' : '';
  const lines = [`run ${run.runId}  ${run.workflow.name} v${run.workflow.version}  ${run.status}${paused}`];
  const nodes = Object.entries(run.nodes);
  const width = Math.max(4, ...nodes.map(([id]) => id.length));
  for (const [id, node] of nodes) {
    // A retry's reused node did not run: it shows where its output came from instead of attempts.
    const attempts = node.reused ? 'reused' : `${node.attempts} attempt${node.attempts === 1 ? '' : 's'}`;
    const outputs = Object.entries(node.output)
      .map(
        ([port, items]) =>
          `${port}: ${Array.isArray(items) ? `${items.length} item${items.length === 1 ? '' : 's'}` : 'stored artefact'}`,
      )
      .join(', ');
    lines.push(
      `  ${id.padEnd(width)}  ${node.status.padEnd(9)}  ${attempts.padEnd(10)}  ${outputs}${loopNote(node)}`.trimEnd(),
    );
    if (node.error) lines.push(`  ${' '.repeat(width)}  ${node.error.code}: ${node.error.message}`);
    if (node.waiting) lines.push(`  ${' '.repeat(width)}  ${formatWait(node.waiting)}`);
    else if (node.childRun) lines.push(`  ${' '.repeat(width)}  child run ${node.childRun}`);
  }
  if (nodes.length === 0) lines.push('  (no node has started yet)');
  if (run.error && !nodes.some(([, node]) => node.error)) lines.push(`  ${run.error.code}: ${run.error.message}`);
  if (run.errorRun) lines.push(`  error workflow started: run ${run.errorRun} (flowforge runs show ${run.errorRun})`);
  if (run.note) lines.push(`  note: ${run.note}`);
  return lines.join('\n');
}

/** `  (batch 3 of 10, 20 of 100 items)` for a loop node, `  (iteration 3)` for a node of its body. */
function loopNote(node: RunView['nodes'][string]): string {
  if (node.loop) {
    const { iteration, batches, processed, total } = node.loop;
    return `  (batch ${iteration} of ${batches}, ${processed} of ${total} item${total === 1 ? '' : 's'} done)`;
  }
  return node.iteration ? `  (iteration ${node.iteration})` : '';
}

/** `waiting for approval by role finance or user carol since … until …: "message"`, or a timer's until. */
export function formatWait(wait: NodeWait): string {
  const since = wait.since ? ` since ${wait.since}` : '';
  switch (wait.for) {
    case 'timer':
      return `waiting${since} until ${wait.until}`;
    case 'webhook':
      return `waiting for a POST (JSON body) to ${wait.url}${since}${wait.until ? ` until ${wait.until}` : ''}`;
    case 'subworkflow':
      return `waiting for child run ${wait.runId}${since} (flowforge runs show ${wait.runId})`;
    case 'approval': {
      const who = [...wait.roles.map((role) => `role ${role}`), ...wait.users.map((user) => `user ${user}`)];
      const by = who.length > 0 ? ` by ${who.join(' or ')}` : '';
      const until = wait.until ? ` until ${wait.until}` : '';
      const message = wait.message ? `: "${wait.message}"` : '';
      return `waiting for approval${by}${since}${until}${message} (flowforge approve|reject <runId>)`;
    }
    default: {
      const unknown: never = wait;
      return `waiting (${JSON.stringify(unknown)})`;
    }
  }
}
