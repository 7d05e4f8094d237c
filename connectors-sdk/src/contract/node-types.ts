import { z } from 'zod';
import {
  type AnyNodeDescriptor,
  defineNodeType,
  NODE_GROUPS,
  NODE_TYPE_NAME,
  type NodeGroup,
  type PortSpec,
} from '../define-node.ts';
import { DurationSchema } from '../duration.ts';
import { FlowForgeError } from '../errors.ts';
import { paramsJsonSchema } from '../params-schema.ts';

/**
 * The node catalogue on the wire: what a worker tells the control plane about the node types it
 * runs, and what GraphQL `nodeTypes`, `flowforge nodes` and the builder's palette read. A
 * descriptor as data: the params as JSON Schema, port functions and regexes as what JSON can say.
 */

const GROUPS = Object.keys(NODE_GROUPS) as [NodeGroup, ...NodeGroup[]];

export const CredentialSlotSchema = z.object({
  name: z.string(),
  type: z.string(),
  /** false also for a slot a parameter selects (http.request's `authentication`): required only when chosen. */
  required: z.boolean().optional(),
  description: z.string().optional(),
});

export const NodeTypeInfoSchema = z.object({
  type: z.string().regex(NODE_TYPE_NAME, { error: 'a node type is namespaced, like "acme.greet"' }),
  version: z.int().min(1),
  displayName: z.string(),
  description: z.string(),
  // A palette group a newer peer knows and this side does not is shown with the connectors.
  group: z.enum(GROUPS).catch('integration'),
  /** JSON Schema (draft 2020-12) of the params as a workflow file writes them (paramsJsonSchema). */
  paramsSchema: z.record(z.string(), z.unknown()),
  inputs: z.array(z.string()),
  /** The input ports depend on the params: `inputs` is empty and any port name may be connected. */
  dynamicInputs: z.boolean().default(false),
  /** More input ports allowed: the source of a regular expression (Merge's `^in([3-9]|[1-9]\d)$`). */
  extraInputs: z.string().optional(),
  outputs: z.array(z.string()),
  /** The output ports depend on the params (core.switch): `outputs` is empty. */
  dynamicOutputs: z.boolean().default(false),
  extraOutputs: z.string().optional(),
  credentials: z.array(CredentialSlotSchema),
  defaultTimeout: DurationSchema,
  literalParams: z.array(z.string()),
  capabilities: z.object({
    trigger: z.boolean(),
    durableWait: z.boolean(),
    pure: z.boolean(),
    /** It may start other workflows (core.executeWorkflow); which ones is a function of its params. */
    linkedWorkflows: z.boolean(),
  }),
});
export type NodeTypeInfo = z.infer<typeof NodeTypeInfoSchema>;

/** What one worker answers to the `describeNodeTypes` workflow: every node type it runs. */
export const NodeTypesAnswerSchema = z.object({
  /** The worker's Temporal identity (`pid@host` unless set). */
  worker: z.string(),
  taskQueue: z.string(),
  types: z.array(NodeTypeInfoSchema),
});
export type NodeTypesAnswer = z.infer<typeof NodeTypesAnswerSchema>;

/** A descriptor as catalogue data. */
export function describeNodeType(descriptor: AnyNodeDescriptor): NodeTypeInfo {
  const capabilities = descriptor.capabilities ?? {};
  return {
    type: descriptor.type,
    version: descriptor.version,
    displayName: descriptor.displayName,
    description: descriptor.description,
    group: descriptor.group ?? 'integration',
    paramsSchema: paramsJsonSchema(descriptor),
    inputs: staticPorts(descriptor.inputs),
    dynamicInputs: typeof descriptor.inputs === 'function',
    ...(descriptor.extraInputs ? { extraInputs: descriptor.extraInputs.source } : {}),
    outputs: staticPorts(descriptor.outputs),
    dynamicOutputs: typeof descriptor.outputs === 'function',
    ...(descriptor.extraOutputs ? { extraOutputs: descriptor.extraOutputs.source } : {}),
    credentials: (descriptor.credentials ?? []).map(({ required, ...slot }) => ({
      ...slot,
      ...(required === undefined ? {} : { required: required === true }),
    })),
    defaultTimeout: descriptor.defaultTimeout,
    literalParams: [...(descriptor.literalParams ?? [])],
    capabilities: {
      trigger: capabilities.trigger === true,
      durableWait: capabilities.durableWait === true,
      pure: capabilities.pure === true,
      linkedWorkflows: capabilities.linkedWorkflows !== undefined,
    },
  };
}

function staticPorts(spec: PortSpec): string[] {
  return typeof spec === 'function' ? [] : [...spec];
}

/** Any port name the workflow file allows: what a dynamic port list stands for on the far side. */
const ANY_PORT = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/**
 * The way back: a descriptor the control plane validates workflow files with, from an info a worker
 * sent. Port functions become "any port name", the params schema is rebuilt from its JSON Schema
 * (paramsFromJsonSchema), a linked-workflows capability cannot be rebuilt (see below). Throws when
 * the info breaks a descriptor rule (a trigger with inputs).
 */
export function nodeTypeFromInfo(info: NodeTypeInfo): AnyNodeDescriptor {
  const extraInputs = info.dynamicInputs ? ANY_PORT : portPattern(info.extraInputs);
  const extraOutputs = info.dynamicOutputs ? ANY_PORT : portPattern(info.extraOutputs);
  const { trigger, durableWait, pure, linkedWorkflows } = info.capabilities;
  return defineNodeType({
    type: info.type,
    version: info.version,
    displayName: info.displayName,
    description: info.description,
    group: info.group,
    params: paramsFromJsonSchema(info.paramsSchema).params,
    inputs: info.inputs,
    ...(extraInputs ? { extraInputs } : {}),
    outputs: info.outputs,
    ...(extraOutputs ? { extraOutputs } : {}),
    credentials: info.credentials,
    defaultTimeout: info.defaultTimeout,
    literalParams: info.literalParams,
    capabilities: {
      trigger,
      durableWait,
      pure,
      ...(linkedWorkflows ? { linkedWorkflows: () => unresolvableLinks(info.type) } : {}),
    },
  });
}

/** A pattern that does not compile stands for any port: the worker checks the edges again anyway. */
function portPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch {
    return ANY_PORT;
  }
}

/**
 * The workflows a run may start are resolved and signed by the control plane when the run starts,
 * from a function of the node's params that only the type's own code has. A worker's type cannot
 * send that function, so a run that uses one is refused at start rather than failing at its child.
 */
function unresolvableLinks(type: string): never {
  throw new FlowForgeError(
    'FF_VALIDATION',
    `node type "${type}" starts other workflows, and the control plane can resolve and sign those only for the node types it defines itself`,
    { hint: 'start other workflows with core.executeWorkflow instead' },
  );
}

/**
 * A zod schema from a params JSON Schema (zod 4's `z.fromJSONSchema`). Custom checks (refine,
 * z.custom) never reached the JSON Schema, so the rebuilt schema can only be looser than the
 * worker's, never stricter. What `z.fromJSONSchema` cannot rebuild (`if`/`then`, `not`, external
 * `$ref`...) gives `exact: false` and a schema that accepts any params object: the control plane
 * then checks nothing of that type's params and the worker, which has the real schema, checks
 * them when the run starts (verifyRunRequest) and before the node runs.
 */
export function paramsFromJsonSchema(schema: Record<string, unknown>): { params: z.ZodType; exact: boolean } {
  try {
    return { params: z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema), exact: true };
  } catch {
    return { params: z.record(z.string(), z.unknown()), exact: false };
  }
}
