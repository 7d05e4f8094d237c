import { z } from 'zod';
import { SerializedErrorSchema } from '../errors.ts';
import { TriggerSchema } from './run-request.ts';
import { RunStatusSchema } from './run-state.ts';
import { NodeViewSchema, RunWorkflowSchema } from './run-view.ts';

/**
 * A run's audit archive (`GET /runs/<runId>/export`, `flowforge runs export`): a .tar.gz whose
 * `manifest.json` (this schema) names every other entry with its size and sha256. The manifest is
 * the archive's LAST entry: it carries the hashes of the entries streamed before it, and a reader
 * that finds it knows the archive is complete.
 */
export const RUN_EXPORT_FORMAT = 'flowforge-run-export';
export const RUN_EXPORT_MANIFEST = 'manifest.json';

/** One file of the archive. */
export const ExportedFileSchema = z.object({
  file: z.string(),
  bytes: z.int().nonnegative(),
  /** Hex sha256 of the file's bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ExportedNodeSchema = z.object({
  type: z.string(),
  status: NodeViewSchema.shape.status,
  attempts: z.int(),
  error: SerializedErrorSchema.optional(),
  /** A node in a loop's body: the iteration its state (and so its files) is from. */
  iteration: z.int().optional(),
  /** `{ "<port>": [items] }` from the live edges into the node; null for a node without incoming edges (see `input`). */
  input: ExportedFileSchema.nullable(),
  /** `{ "<port>": [items] }` as the node delivered them. */
  output: ExportedFileSchema,
  /** Output ports whose items came from the artefact store (claim check), not from Temporal's history. */
  storedPorts: z.array(z.string()),
});

export const RunExportManifestSchema = z.object({
  format: z.literal(RUN_EXPORT_FORMAT),
  formatVersion: z.literal(1),
  runId: z.string(),
  workflow: RunWorkflowSchema.extend({ hash: z.string() }),
  status: RunStatusSchema,
  trigger: TriggerSchema.optional(),
  error: SerializedErrorSchema.optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  exportedAt: z.string(),
  /** Why some node data may be missing (the run view's note). */
  note: z.string().optional(),
  /** The workflow version's definition (DAG JSON). */
  definition: ExportedFileSchema,
  /** The run's input as the trigger got it; null when Temporal no longer has the run's history. */
  input: ExportedFileSchema.nullable(),
  nodes: z.record(z.string(), ExportedNodeSchema),
});

/** What `flowforge runs export --json` prints. */
export const RunExportResultSchema = z.object({ file: z.string(), bytes: z.int(), nodes: z.int() });

export type ExportedFile = z.infer<typeof ExportedFileSchema>;
export type ExportedNode = z.infer<typeof ExportedNodeSchema>;
export type RunExportManifest = z.infer<typeof RunExportManifestSchema>;
export type RunExportResult = z.infer<typeof RunExportResultSchema>;
