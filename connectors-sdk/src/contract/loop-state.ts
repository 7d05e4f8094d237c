import { z } from 'zod';
import { PortOutputSchema } from './port-output.ts';

/**
 * core.loop's state as `runDag` keeps it and carries it over continue-as-new, and the progress the
 * run view shows (pure: the workflow imports it).
 */

/**
 * The loop's source items, stored once in the artefact store as pages of whole batches, so an
 * iteration reads one small page instead of the whole input. Page `p` holds batches
 * `[p * batchesPerPage, (p + 1) * batchesPerPage)`.
 */
export const LoopPagesSchema = z.object({
  /** Artefact key prefix: page `p` is `${prefix}/page-${p}.json`. */
  prefix: z.string(),
  count: z.int(),
  batchesPerPage: z.int(),
});

/**
 * One page of the source in the workflow: inline items the workflow slices batches from, or (a
 * page of a single batch too big for history) the stored page itself, handed on as the batch.
 */
export const LoopPageSchema = z.object({ index: z.int(), items: PortOutputSchema });

/** What the loop node's `NodeState` shows: which batch its body is on, and how far it got. */
export const LoopProgressSchema = z.object({
  /** The batch now (or last) in the body, from 1; 0 before the first. */
  iteration: z.int(),
  batches: z.int(),
  /** Items whose iteration has finished. */
  processed: z.int(),
  total: z.int(),
});

/** A loop in progress, as `runDag` keeps it and carries it over continue-as-new. */
export const LoopCursorSchema = z.object({
  batchSize: z.int(),
  total: z.int(),
  batches: z.int(),
  /** The next batch to emit. */
  next: z.int(),
  pages: LoopPagesSchema.optional(),
  /** The page holding the batch emitted last (dropped once the loop is done). */
  page: LoopPageSchema.optional(),
  /** Results so far: references to stored parts, then inline parts (kept under a budget). */
  collected: z.array(PortOutputSchema),
});

export const LoopsCarrySchema = z.object({
  cursors: z.record(z.string(), LoopCursorSchema),
  /**
   * Batches each loop emitted in this run, across passes of an enclosing loop: the iteration in
   * its body nodes' idempotency keys, so no two executions of a body node share a key.
   */
  emitted: z.record(z.string(), z.int()),
});

export type LoopPages = z.infer<typeof LoopPagesSchema>;
export type LoopPage = z.infer<typeof LoopPageSchema>;
export type LoopProgress = z.infer<typeof LoopProgressSchema>;
export type LoopCursor = z.infer<typeof LoopCursorSchema>;
export type LoopsCarry = z.infer<typeof LoopsCarrySchema>;
