import { builtinCredentialRegistry } from '../builtin/index.ts';
import type { AnyNodeDefinition } from '../define-node.ts';
import { type Item, type PortItems, toItems } from '../items.ts';
import { type NodeRunResult, runNode } from '../runtime/run-node.ts';

/** What a test gives a node; everything has a default so `runNodeForTest(node)` works. */
export interface TestNodeOptions {
  /** Raw parameters, as in a workflow file: may contain expressions. */
  params?: Record<string, unknown>;
  /** The `main` input; plain objects are wrapped as `{ json }`. */
  items?: Array<Record<string, unknown> | Item>;
  /** Other input ports (Merge's `in1`, `in2`...), wrapped like `items`. */
  inputs?: Record<string, Array<Record<string, unknown> | Item>>;
  /** Outputs of earlier nodes, for `$('id')` in expressions. */
  nodeOutputs?: Record<string, PortItems>;
  runInput?: unknown;
  runId?: string;
  workflow?: { name: string; version: number };
  nodeId?: string;
  signal?: AbortSignal;
  /** Credential values by slot, as `ctx.credential(slot)` returns them (the node names `test-<slot>` there). */
  credentials?: Record<string, unknown>;
}

/**
 * Runs a node the way the worker does: the real `runNode`, the real sandbox for expressions and
 * code, the real parameter validation. Only the run around it is made up.
 */
export function runNodeForTest(definition: AnyNodeDefinition, options: TestNodeOptions = {}): Promise<NodeRunResult> {
  const nodeId = options.nodeId ?? 'node';
  const runId = options.runId ?? 'test-run';
  const inputs: PortItems = {};
  for (const [port, items] of Object.entries(options.inputs ?? {})) inputs[port] = toItems(items);
  if (options.items) inputs.main = toItems(options.items);
  return runNode(definition, {
    nodeId,
    rawParams: options.params ?? {},
    inputs,
    nodeOutputs: options.nodeOutputs ?? {},
    run: { id: runId, workflow: options.workflow ?? { name: 'test', version: 1 }, input: options.runInput },
    idempotencyKey: `${runId}:${nodeId}`,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.credentials ? credentialOptions(options.credentials) : {}),
  });
}

function credentialOptions(values: Record<string, unknown>) {
  return {
    credentials: Object.fromEntries(Object.keys(values).map((slot) => [slot, `test-${slot.toLowerCase()}`])),
    resolveCredential: async (slot: string) => values[slot],
    credentialTypes: builtinCredentialRegistry,
  };
}

/** The json of the items on a port of a result (default `main`); a port the node left out is `[]`. */
export function jsonOf(result: NodeRunResult, port = 'main'): Record<string, unknown>[] {
  return (result.outputs[port] ?? []).map((item) => item.json);
}
