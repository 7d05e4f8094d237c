import { z } from 'zod';
import { DONE_PORT, defineNodeType, LOOP_NODE_TYPE, LOOP_PORT, MAIN_PORT } from '../index.ts';

export const DEFAULT_BATCH_SIZE = 10;

/**
 * n8n's "Loop Over Items" (Split in Batches). The iteration itself is the interpreter's
 * (workers/src/workflows/loop-runs.ts, workers/src/interpreter/loops.ts); `execute` is what one
 * run of the node on its own does: it emits the first batch. The worker's loop activities use the
 * same parameters, evaluated and validated the same way (workers/src/activities/loop-activities.ts).
 */
export const coreLoopType = defineNodeType({
  type: LOOP_NODE_TYPE,
  version: 1,
  group: 'flow',
  displayName: 'Loop Over Items',
  description:
    `Runs the steps after its "${LOOP_PORT}" port once per batch of its input items. Connect the last step of ` +
    `that body back into this node's input: those edges carry each batch's results. When the input is used up, ` +
    `"${DONE_PORT}" emits every collected result in order (no input, or a body that never connects back, means ` +
    `an empty "${DONE_PORT}", and the nodes after it are skipped like after any port that did not fire). Every ` +
    'node of the body shows its latest iteration in the run view; the loop node shows its progress. Body nodes ' +
    'get an idempotency key per iteration. Long loops continue-as-new between iterations, and the input is read ' +
    'from the artefact store page by page, so a loop over many thousands of items keeps Temporal history small.',
  params: z.object({
    batchSize: z
      .int()
      .min(1)
      .default(DEFAULT_BATCH_SIZE)
      .describe('How many items the body gets per iteration (the last batch may be smaller).'),
  }),
  inputs: [MAIN_PORT],
  outputs: [LOOP_PORT, DONE_PORT],
  defaultTimeout: '1m',
});
