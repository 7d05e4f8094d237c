import type { WorkflowNode } from '@flowforge/connectors-sdk';
import type { PortOutput } from '../run-state.ts';

/**
 * The wire types of core.loop's activities and of the loop state `runDag` carries over
 * continue-as-new. Pure types: the workflow imports them.
 */
export const START_LOOP_ACTIVITY = 'startLoop';
export const LOAD_LOOP_PAGE_ACTIVITY = 'loadLoopPage';
export const STORE_LOOP_RESULTS_ACTIVITY = 'storeLoopResults';

/**
 * The loop's source items, stored once in the artefact store as pages of whole batches, so an
 * iteration reads one small page instead of the whole input. Page `p` holds batches
 * `[p * batchesPerPage, (p + 1) * batchesPerPage)`.
 */
export interface LoopPages {
  /** Artefact key prefix: page `p` is `${prefix}/page-${p}.json`. */
  prefix: string;
  count: number;
  batchesPerPage: number;
}

/**
 * One page of the source in the workflow: inline items the workflow slices batches from, or (a
 * page of a single batch too big for history) the stored page itself, handed on as the batch.
 */
export interface LoopPage {
  index: number;
  items: PortOutput;
}

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

/** What the loop node's `NodeState` shows: which batch its body is on, and how far it got. */
export interface LoopProgress {
  /** The batch now (or last) in the body, from 1; 0 before the first. */
  iteration: number;
  batches: number;
  /** Items whose iteration has finished. */
  processed: number;
  total: number;
}

/** A loop in progress, as `runDag` keeps it and carries it over continue-as-new. */
export interface LoopCursor {
  batchSize: number;
  total: number;
  batches: number;
  /** The next batch to emit. */
  next: number;
  pages?: LoopPages;
  /** The page holding the batch emitted last (dropped once the loop is done). */
  page?: LoopPage;
  /** Results so far: references to stored parts, then inline parts (kept under a budget). */
  collected: PortOutput[];
}

export interface LoopsCarry {
  cursors: Record<string, LoopCursor>;
  /**
   * Batches each loop emitted in this run, across passes of an enclosing loop: the iteration in
   * its body nodes' idempotency keys, so no two executions of a body node share a key.
   */
  emitted: Record<string, number>;
}
