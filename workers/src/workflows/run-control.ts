import {
  PAUSE_UPDATE,
  RESUME_UPDATE,
  type RunControlAck,
  type RunDagInput,
  type RunState,
} from '@flowforge/connectors-sdk/contract';
import { defineUpdate, setHandler } from '@temporalio/workflow';
import { unreusableLoopNodes } from '../interpreter/loops.ts';
import type { NodeStates } from './node-states.ts';

/**
 * Run control inside `runDag`: pause/resume as Temporal updates and a retry's reused outputs.
 * Deterministic: the paused flag lives in RunState (so the query shows it and continue-as-new
 * carries it), and reuse is applied from the signed input only.
 */

// Updates rather than signals: the caller learns when the workflow has taken the change, so a
// `runState` query right after `pauseRun` already says paused.
export const pauseUpdate = defineUpdate<RunControlAck>(PAUSE_UPDATE);
export const resumeUpdate = defineUpdate<RunControlAck>(RESUME_UPDATE);

/** Registers the pause and resume handlers. Pausing a paused run (or resuming a running one) is a no-op. */
export function installRunControl(state: RunState): void {
  const validator = (): void => {
    // Rejected updates leave no trace in history; a finished run has nothing to pause.
    if (state.status !== 'RUNNING') throw new Error(`the run has already ended (${state.status})`);
  };
  setHandler(
    pauseUpdate,
    () => {
      state.paused = true;
      return { paused: true };
    },
    { validator },
  );
  setHandler(
    resumeUpdate,
    () => {
      delete state.paused;
      return { paused: false };
    },
    { validator },
  );
}

export function isPaused(state: RunState): boolean {
  return state.paused === true;
}

/**
 * A retry's reused nodes become succeeded with the original outputs and `reused: true`; the
 * scheduler then starts only the nodes after them. Called once the request is verified (the
 * reuse map is covered by its signature), and only in the first execution: later ones carry it.
 */
export function applyReuse(input: RunDagInput, nodes: NodeStates, at: string): void {
  if (input.carried || !input.reuse) return;
  // A loop that had not emitted `done` runs again from its first batch, body included.
  const rerun = unreusableLoopNodes(input.dag, input.reuse);
  for (const [id, output] of Object.entries(input.reuse)) {
    // Ids the DAG does not have are ignored: the map was signed for this version's DAG.
    if (!nodes.get(id) || rerun.has(id)) continue;
    nodes.set(id, { status: 'succeeded', attempts: 0, output, reused: true, startedAt: at, finishedAt: at });
  }
}
