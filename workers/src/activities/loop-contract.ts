import type { WorkflowNode } from '@flowforge/connectors-sdk';
import type { LoopPage, LoopPages, PortOutput } from '@flowforge/connectors-sdk/contract';

/**
 * The wire types of core.loop's activities (pure types: the workflow imports them). The loop state
 * `runDag` carries over continue-as-new is part of the engine contract (connectors-sdk/contract).
 */
export const START_LOOP_ACTIVITY = 'startLoop';
export const LOAD_LOOP_PAGE_ACTIVITY = 'loadLoopPage';
export const STORE_LOOP_RESULTS_ACTIVITY = 'storeLoopResults';

export interface StartLoopInput {
  run: { id: string; workflow: { name: string; version: number } };
  node: Pick<WorkflowNode, 'id' | 'type' | 'params'>;
  /** The loop node's forward inputs (its back edges never reach the activity). */
  inputs: Record<string, PortOutput[]>;
}

export interface StartLoopResult {
  batchSize: number;
  /** Source items. */
  total: number;
  /** Absent when the first page holds the whole source: nothing was stored. */
  pages?: LoopPages;
  /** The first page; absent when the input is empty. */
  page?: LoopPage;
  attempt: number;
}

export interface LoadLoopPageInput {
  pages: LoopPages;
  index: number;
}

export interface StoreLoopResultsInput {
  run: { id: string };
  node: { id: string };
  /** Collected results, in order: stored references and inline items. */
  parts: PortOutput[];
  /**
   * `store`: always write one artefact (keeps the carried results small while the loop goes on);
   * `final`: the `done` output, inline when under the claim-check threshold.
   */
  mode: 'store' | 'final';
}
