import type { z } from 'zod';
import { credentialSlotIssues } from './credential-slots.ts';
import { type AnyNodeDescriptor, type DescriptorRegistry, resolvePorts } from './define-node.ts';
import { formatPath, type Issue, type IssuePath } from './errors.ts';
import { backEdgesOf, DONE_PORT, findLoops, LOOP_NODE_TYPE, LOOP_PORT, type LoopShape } from './graph/loops.ts';
import { findCycle, indexGraph, reachableFrom, type WorkflowGraph } from './graph/workflow-graph.ts';
// Pure (acorn, no sandbox): the syntax check of every expression template.
import { checkExpressions } from './runtime/param-templates.ts';
import {
  ERROR_PORT,
  isExpression,
  type WorkflowDefinition,
  WorkflowDefinitionSchema,
  type WorkflowNode,
} from './workflow-definition.ts';

export type ValidationResult = { ok: true; definition: WorkflowDefinition } | { ok: false; issues: Issue[] };

export interface ValidateOptions {
  /**
   * The message of an FF_UNKNOWN_NODE_TYPE issue, when the caller knows more than the registry
   * (the control plane names the task queue whose workers it asked). Default: the known types.
   */
  unknownTypeMessage?: (type: string, known: readonly string[]) => string;
}

/**
 * The limits a workflow file must stay under. The definition travels in every run's start input
 * and again in each continue-as-new (beside about 100 bytes of state per node), and Temporal
 * refuses a payload over 2 MB: 1 MiB of definition leaves room for the input and the states. A
 * 5,000-node fan-out (about 600 KiB) fits; past 5,000 nodes the carried states alone get close.
 */
export const WORKFLOW_LIMITS = { nodes: 5_000, edges: 20_000, definitionBytes: 1024 * 1024 } as const;

/**
 * Checks a workflow file completely and returns every problem at once, each with a code and a
 * path: the shape (zod), unknown node types, bad parameters and expressions, edges to missing
 * nodes or ports, duplicate ids and edges, cycles, and nodes no trigger can reach. The graph
 * checks run on the nodes and edges that are sound, so one broken edge hides no cycle elsewhere.
 */
export function validateWorkflow(
  input: unknown,
  registry: DescriptorRegistry,
  options: ValidateOptions = {},
): ValidationResult {
  const parsed = WorkflowDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, [], 'FF_VALIDATION') };
  const definition = parsed.data;
  const limits = limitIssues(definition);
  if (limits.length > 0) return { ok: false, issues: limits };
  const issues = [
    ...nodeIssues(definition, registry, options),
    ...edgeIssues(definition, registry),
    ...graphIssues(definition, registry),
  ];
  return issues.length === 0 ? { ok: true, definition } : { ok: false, issues };
}

function limitIssues(definition: WorkflowDefinition): Issue[] {
  const issues: Issue[] = [];
  const { nodes, edges, definitionBytes } = WORKFLOW_LIMITS;
  if (definition.nodes.length > nodes) {
    issues.push({
      code: 'FF_VALIDATION',
      message: `the workflow has ${definition.nodes.length} nodes; at most ${nodes} are allowed: split it, and run the parts with core.executeWorkflow`,
      path: ['nodes'],
    });
  }
  if (definition.edges.length > edges) {
    issues.push({
      code: 'FF_VALIDATION',
      message: `the workflow has ${definition.edges.length} edges; at most ${edges} are allowed`,
      path: ['edges'],
    });
  }
  const bytes = new TextEncoder().encode(JSON.stringify(definition)).length;
  if (issues.length === 0 && bytes > definitionBytes) {
    issues.push({
      code: 'FF_VALIDATION',
      message: `the workflow definition is ${Math.ceil(bytes / 1024)} KiB of JSON; at most ${definitionBytes / 1024} KiB are allowed (it travels with every run through Temporal): move big constants into the run input or a node that fetches them`,
      path: [],
    });
  }
  return issues;
}

export function zodIssues(error: z.ZodError, prefix: IssuePath, code: Issue['code']): Issue[] {
  return error.issues.map((issue) => ({
    code,
    message: issue.message,
    path: [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
  }));
}

function nodeIssues(definition: WorkflowDefinition, registry: DescriptorRegistry, options: ValidateOptions): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  definition.nodes.forEach((node, index) => {
    if (seen.has(node.id)) {
      issues.push({
        code: 'FF_DUPLICATE_NODE_ID',
        message: `node id "${node.id}" is used twice`,
        path: ['nodes', index, 'id'],
      });
    }
    seen.add(node.id);
    const type = registry.get(node.type);
    if (!type) {
      const known = [...registry.keys()].sort();
      issues.push({
        code: 'FF_UNKNOWN_NODE_TYPE',
        message:
          options.unknownTypeMessage?.(node.type, known) ??
          `unknown node type "${node.type}"; known types: ${known.join(', ')}`,
        path: ['nodes', index, 'type'],
      });
      return;
    }
    const prefix = ['nodes', index, 'params'];
    issues.push(
      ...paramIssues(node, type, prefix),
      ...expressionIssues(node, type, ['nodes', index]),
      ...credentialSlotIssues(node, type, ['nodes', index]),
    );
  });
  return issues;
}

/** Validates parameters that do not depend on run data; an expression stands in for any value. */
export function paramIssues(node: WorkflowNode, type: AnyNodeDescriptor, prefix: IssuePath): Issue[] {
  const result = type.params.safeParse(node.params);
  if (result.success) return [];
  const literal = type.literalParams ?? [];
  return zodIssues(result.error, prefix, 'FF_INVALID_PARAMS').filter(
    (issue) => !underExpression(node.params, issue.path.slice(prefix.length), literal),
  );
}

/** Whether the value at `path` (or one of its parents) is an expression; literal params never are. */
function underExpression(params: unknown, path: IssuePath, literal: readonly string[]): boolean {
  if (path.length > 0 && literal.includes(String(path[0]))) return false;
  let value: unknown = params;
  for (const part of path) {
    if (isExpression(value)) return true;
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string | number, unknown>)[part];
  }
  return isExpression(value);
}

/** A template that does not parse fails every run that reaches it: refuse it now, naming node, parameter and expression. */
function expressionIssues(node: WorkflowNode, type: AnyNodeDescriptor, prefix: IssuePath): Issue[] {
  return checkExpressions(node.params, type.literalParams).map((issue) => ({
    ...issue,
    message: `node "${node.id}", ${issue.message} in ${JSON.stringify(valueAt(node.params, issue.path.slice(1)))}`,
    path: [...prefix, ...issue.path],
  }));
}

function valueAt(value: unknown, path: IssuePath): unknown {
  return path.reduce<unknown>((current, part) => (current as Record<string | number, unknown>)?.[part], value);
}

function outputPorts(node: WorkflowNode, type: AnyNodeDescriptor): readonly string[] {
  const ports = resolvePorts(type.outputs, node.params);
  return node.onError === 'errorOutput' ? [...ports, ERROR_PORT] : ports;
}

function edgeIssues(definition: WorkflowDefinition, registry: DescriptorRegistry): Issue[] {
  const issues: Issue[] = [];
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  const seen = new Map<string, number>();
  definition.edges.forEach((edge, index) => {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from) issues.push(unknownNode(edge.from, ['edges', index, 'from']));
    if (!to) issues.push(unknownNode(edge.to, ['edges', index, 'to']));
    const key = JSON.stringify([edge.from, edge.fromPort, edge.to, edge.toPort]);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        code: 'FF_DUPLICATE_EDGE',
        message: `edge ${index} repeats edge ${first} (${describeEdge(edge)}): each item would arrive twice; remove one`,
        path: ['edges', index],
      });
    } else {
      seen.set(key, index);
    }
    const fromType = from && registry.get(from.type);
    if (from && fromType) {
      const ports = outputPorts(from, fromType);
      if (!ports.includes(edge.fromPort) && !fromType.extraOutputs?.test(edge.fromPort)) {
        const hint =
          edge.fromPort === ERROR_PORT ? ' (set "onError": "errorOutput" on the node to get an error port)' : '';
        issues.push(unknownPort(edge.from, edge.fromPort, 'output', ports, ['edges', index, 'fromPort'], hint));
      }
    }
    const toType = to && registry.get(to.type);
    if (to && toType) {
      const ports = resolvePorts(toType.inputs, to.params);
      if (!ports.includes(edge.toPort) && !toType.extraInputs?.test(edge.toPort)) {
        issues.push(unknownPort(edge.to, edge.toPort, 'input', ports, ['edges', index, 'toPort'], ''));
      }
    }
  });
  return issues;
}

function describeEdge(edge: WorkflowDefinition['edges'][number]): string {
  return `${edge.from}.${edge.fromPort} → ${edge.to}.${edge.toPort}`;
}

function unknownNode(id: string, path: IssuePath): Issue {
  return { code: 'FF_EDGE_UNKNOWN_NODE', message: `the edge names node "${id}", which does not exist`, path };
}

function unknownPort(
  node: string,
  port: string,
  side: 'input' | 'output',
  ports: readonly string[],
  path: IssuePath,
  hint: string,
): Issue {
  const known = ports.length > 0 ? ports.map((p) => `"${p}"`).join(', ') : 'none';
  return {
    code: 'FF_EDGE_UNKNOWN_PORT',
    message: `node "${node}" has no ${side} port "${port}" (its ${side} ports: ${known})${hint}`,
    path,
  };
}

/**
 * Cycles, loop shapes, triggers and reachability, over the edges between nodes that exist (the
 * others are reported above). A node of an unknown type counts as a possible trigger when nothing
 * leads into it, so a mistyped trigger does not also make every node after it "unreachable".
 */
function graphIssues(definition: WorkflowDefinition, registry: DescriptorRegistry): Issue[] {
  const issues: Issue[] = [];
  const indexOf = (id: string) => definition.nodes.findIndex((node) => node.id === id);
  const loops = findLoops(definition.nodes, definition.edges);
  const forward = indexGraph(definition, backEdgesOf(loops));
  const cycle = findCycle(forward);
  if (cycle) {
    issues.push({
      code: 'FF_CYCLE',
      message: `the edges form a cycle: ${cycle.join(' → ')}; ${CYCLE_FIX}`,
      path: ['nodes', indexOf(cycle[0] as string)],
    });
  }
  issues.push(...loopIssues(loops, forward, indexOf));
  const typeOf = (node: WorkflowNode) => registry.get(node.type);
  const triggers = definition.nodes.filter((node) => typeOf(node)?.capabilities?.trigger);
  const unknownStarts = definition.nodes.filter(
    (node) => !typeOf(node) && (forward.incoming.get(node.id) ?? []).length === 0,
  );
  if (triggers.length === 0 && unknownStarts.length === 0) {
    issues.push({
      code: 'FF_NO_TRIGGER',
      message: 'the workflow has no trigger node; add one, like { "id": "start", "type": "trigger.manual" }',
      path: ['nodes'],
    });
    return issues;
  }
  const reached = reachableFrom(
    indexGraph(definition),
    [...triggers, ...unknownStarts].map((node) => node.id),
  );
  definition.nodes.forEach((node, index) => {
    if (!reached.has(node.id)) {
      issues.push({
        code: 'FF_UNREACHABLE_NODE',
        message: `node "${node.id}" cannot be reached from a trigger; connect it with an edge or remove it`,
        path: ['nodes', index],
      });
    }
  });
  return issues;
}

const CYCLE_FIX =
  `to repeat steps, put a ${LOOP_NODE_TYPE} node in front of them: edges from its "${LOOP_PORT}" port feed the ` +
  'steps, and edges from the last step back into that same loop node close the loop';

/**
 * The only cycles allowed go out of a core.loop node's `loop` port and back into that same node
 * (its back edges). Two loops whose bodies contain each other are an error (neither could finish
 * an iteration before the other), and so is a body node that also comes after the loop's `done`
 * port: it would wait for the loop to finish while the loop waits for it.
 */
function loopIssues(
  loops: ReadonlyMap<string, LoopShape>,
  forward: WorkflowGraph,
  indexOf: (id: string) => number,
): Issue[] {
  const issues: Issue[] = [];
  for (const loop of loops.values()) {
    for (const other of loops.values()) {
      if (other.id > loop.id && loop.body.has(other.id) && other.body.has(loop.id)) {
        issues.push({
          code: 'FF_CYCLE',
          message:
            `loop nodes "${loop.id}" and "${other.id}" are each inside the other's body; nest them instead: ` +
            `the inner loop's body goes back into the inner loop, and its "done" port leads on to the outer one`,
          path: ['nodes', indexOf(loop.id)],
        });
      }
    }
    const afterDone = reachableFrom(
      forward,
      (forward.outgoing.get(loop.id) ?? []).filter((edge) => edge.fromPort === DONE_PORT).map((edge) => edge.to),
      loop.id,
    );
    const both = [...afterDone].find((id) => loop.body.has(id));
    if (both !== undefined) {
      issues.push({
        code: 'FF_VALIDATION',
        message:
          `node "${both}" is both in the body of loop "${loop.id}" (after its "${LOOP_PORT}" port) and after ` +
          `its "${DONE_PORT}" port, so it would wait for the loop to end while the loop waits for it; connect it to one side only`,
        path: ['nodes', indexOf(both)],
      });
    }
  }
  return issues;
}

/** Issues as one line each, for logs and errors that name them all: `nodes[1].type: unknown node type "x"`. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}
