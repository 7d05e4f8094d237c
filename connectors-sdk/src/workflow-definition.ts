import { z } from 'zod';
import { DurationSchema } from './duration.ts';

/** The workflow file, schemaVersion 1: the one format the control plane stores, the CLI pushes, the UI edits and the worker interprets. */

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const PORT = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const NAME_ERROR =
  'a workflow name is lower-case letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit';

/** A workflow's name: what `flowforge run <name>`, settings.errorWorkflow and core.executeWorkflow use. */
export const WorkflowNameSchema = z.string().regex(NAME, { error: NAME_ERROR });

export const RetrySchema = z.strictObject({
  maxAttempts: z.int().min(1).max(100),
  initialInterval: DurationSchema.default('1s'),
  backoffCoefficient: z.number().min(1).max(10).default(2),
  maximumInterval: DurationSchema.optional(),
});

export const OnErrorSchema = z.enum(['stop', 'continue', 'errorOutput']);

/**
 * Ids become keys of plain objects (run state, outputs by node): a name that every object already
 * has (`__proto__`, `constructor`, `toString`...) would read or write the object's prototype.
 */
const RESERVED_IDS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const NodeIdSchema = z
  .string()
  .regex(NODE_ID, { error: 'a node id is letters, digits, "_" or "-", starting with a letter or "_"' })
  .refine((id) => !RESERVED_IDS.has(id), {
    error: (issue) => `"${issue.input}" is reserved (every JavaScript object has it): pick another node id`,
  });

const CREDENTIAL_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** A credential's name: what `flowforge credentials set <name>` stores and a node's `credentials` map names. */
export const CredentialNameSchema = z.string().regex(CREDENTIAL_NAME, {
  error:
    'a credential name is lower-case letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit',
});

export const NodeSchema = z.strictObject({
  id: NodeIdSchema,
  type: z.string().min(1),
  name: z.string().max(200).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  retry: RetrySchema.optional(),
  timeout: DurationSchema.optional(),
  onError: OnErrorSchema.default('stop'),
  /**
   * The credentials the node uses, by slot (the node type's `credentials`): `{ "httpBearerAuth": "github" }`.
   * Names only: values never enter the workflow file, the run or its history. No default, so a node
   * without credentials hashes as it did before the field existed.
   */
  credentials: z.record(z.string(), CredentialNameSchema).optional(),
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
});

export const EdgeSchema = z.strictObject({
  from: z.string().min(1),
  fromPort: z.string().regex(PORT).default('main'),
  to: z.string().min(1),
  toPort: z.string().regex(PORT).default('main'),
});

export const WorkflowSettingsSchema = z.strictObject({
  /** The whole run's limit; it ends TIMED_OUT past it. */
  timeout: DurationSchema.optional(),
  /** A workflow started (trigger.error) with the failed run's id, node, error and input when a run fails. */
  errorWorkflow: WorkflowNameSchema.optional(),
});

export const WorkflowDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion must be 1 (the only version so far)' }),
  name: WorkflowNameSchema,
  description: z.string().max(2000).optional(),
  settings: WorkflowSettingsSchema.default({}),
  nodes: z.array(NodeSchema).min(1, { error: 'a workflow needs at least one node' }),
  edges: z.array(EdgeSchema).default([]),
});

export type RetryPolicy = z.infer<typeof RetrySchema>;
export type OnError = z.infer<typeof OnErrorSchema>;
export type WorkflowNode = z.infer<typeof NodeSchema>;
export type WorkflowEdge = z.infer<typeof EdgeSchema>;
export type WorkflowSettings = z.infer<typeof WorkflowSettingsSchema>;
/** A definition after parsing: every default filled in. This is what is hashed, stored and run. */
export type WorkflowDefinition = z.infer<typeof WorkflowDefinitionSchema>;
/** The port a node's errors go to when `onError` is `errorOutput`. */
export const ERROR_PORT = 'error';
export const MAIN_PORT = 'main';

/** A string parameter that starts with `=` is an expression template. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}
