import type { z } from 'zod';
import { type AnyNodeDefinition, type NodeRegistry, resolvePorts } from './define-node.ts';
import type { Issue, IssuePath } from './errors.ts';
import { backEdgesOf, DONE_PORT, findLoops, LOOP_NODE_TYPE, LOOP_PORT } from './loop-graph.ts';
import {
  ERROR_PORT,
  isExpression,
  type WorkflowDefinition,
  WorkflowDefinitionSchema,
  type WorkflowNode,
} from './workflow-definition.ts';

export type ValidationResult = { ok: true; definition: WorkflowDefinition } | { ok: false; issues: Issue[] };

/**
 * Checks a workflow file completely and returns every problem at once, each with a code and a
 * path: the shape (zod), unknown node types, bad parameters, edges to missing nodes or ports,
 * duplicate ids, cycles, and nodes no trigger can reach.
 */
export function validateWorkflow(input: unknown, registry: NodeRegistry): ValidationResult {
  const parsed = WorkflowDefinitionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, [], 'FF_VALIDATION') };
  const definition = parsed.data;
  const issues = [...nodeIssues(definition, registry), ...edgeIssues(definition, registry)];
  if (issues.length === 0) issues.push(...graphIssues(definition));
  return issues.length === 0 ? { ok: true, definition } : { ok: false, issues };
}

export function zodIssues(error: z.ZodError, prefix: IssuePath, code: Issue['code']): Issue[] {
  return error.issues.map((issue) => ({
    code,
    message: issue.message,
    path: [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
  }));
}

function nodeIssues(definition: WorkflowDefinition, registry: NodeRegistry): Issue[] {
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
      issues.push({
        code: 'FF_UNKNOWN_NODE_TYPE',
        message: `unknown node type "${node.type}"; known types: ${[...registry.keys()].sort().join(', ')}`,
        path: ['nodes', index, 'type'],
      });
      return;
    }
    issues.push(...paramIssues(node, type, ['nodes', index, 'params']));
  });
  return issues;
}

/** Validates parameters that do not depend on run data; an expression stands in for any value. */
export function paramIssues(node: WorkflowNode, type: AnyNodeDefinition, prefix: IssuePath): Issue[] {
  const result = type.params.safeParse(node.params);
  if (result.success) return [];
  return zodIssues(result.error, prefix, 'FF_INVALID_PARAMS').filter(
    (issue) => !underExpression(node.params, issue.path.slice(prefix.length)),
  );
}

function underExpression(params: unknown, path: IssuePath): boolean {
  let value: unknown = params;
  for (const part of path) {
    if (isExpression(value)) return true;
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string | number, unknown>)[part];
  }
  return isExpression(value);
}

function outputPorts(node: WorkflowNode, type: AnyNodeDefinition): readonly string[] {
  const ports = resolvePorts(type.outputs, node.params);
  return node.onError === 'errorOutput' ? [...ports, ERROR_PORT] : ports;
}

function edgeIssues(definition: WorkflowDefinition, registry: NodeRegistry): Issue[] {
  const issues: Issue[] = [];
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  definition.edges.forEach((edge, index) => {
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from) issues.push(unknownNode(edge.from, ['edges', index, 'from']));
    if (!to) issues.push(unknownNode(edge.to, ['edges', index, 'to']));
    const fromType = from && registry.get(from.type);
    if (from && fromType) {
      const ports = outputPorts(from, fromType);
      if (!ports.includes(edge.fromPort)) {
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

function graphIssues(definition: WorkflowDefinition): Issue[] {
  const issues: Issue[] = [];
  const outgoing = new Map<string, string[]>(definition.nodes.map((node) => [node.id, []]));
  for (const edge of definition.edges) outgoing.get(edge.from)?.push(edge.to);

  const cycleIssue = loopCycleIssue(definition);
  if (cycleIssue) {
    issues.push(cycleIssue);
    return issues;
  }
  const triggers = definition.nodes.filter((node) => node.type.startsWith('trigger.'));
  if (triggers.length === 0) {
    issues.push({
      code: 'FF_NO_TRIGGER',
      message: 'the workflow has no trigger node; add one, like { "id": "start", "type": "trigger.manual" }',
      path: ['nodes'],
    });
    return issues;
  }
  const reached = new Set<string>();
  const queue = triggers.map((node) => node.id);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(outgoing.get(id) ?? []));
  }
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
 * (its back edges). Any cycle left once back edges are set aside is an error, and so are two
 * loops whose bodies contain each other: neither could finish an iteration before the other.
 */
function loopCycleIssue(definition: WorkflowDefinition): Issue | undefined {
  const loops = findLoops(definition.nodes, definition.edges);
  const backEdges = backEdgesOf(loops);
  const forward = new Map<string, string[]>(definition.nodes.map((node) => [node.id, []]));
  for (const edge of definition.edges) if (!backEdges.has(edge)) forward.get(edge.from)?.push(edge.to);
  const indexOf = (id: string) => definition.nodes.findIndex((node) => node.id === id);
  const cycle = findCycle(
    definition.nodes.map((node) => node.id),
    forward,
  );
  if (cycle) {
    return {
      code: 'FF_CYCLE',
      message: `the edges form a cycle: ${cycle.join(' → ')}; ${CYCLE_FIX}`,
      path: ['nodes', indexOf(cycle[0] as string)],
    };
  }
  for (const loop of loops.values()) {
    for (const other of loops.values()) {
      if (other.id !== loop.id && loop.body.has(other.id) && other.body.has(loop.id)) {
        return {
          code: 'FF_CYCLE',
          message:
            `loop nodes "${loop.id}" and "${other.id}" are each inside the other's body; nest them instead: ` +
            `the inner loop's body goes back into the inner loop, and its "done" port leads on to the outer one`,
          path: ['nodes', indexOf(loop.id)],
        };
      }
    }
  }
  return loopDoneIssue(definition, loops, forward, indexOf);
}

/**
 * A node in a loop's body that also comes after the loop's `done` port would wait for the loop to
 * finish while the loop waits for it (the run would stop with nothing ready): say so up front.
 */
function loopDoneIssue(
  definition: WorkflowDefinition,
  loops: ReturnType<typeof findLoops>,
  forward: Map<string, string[]>,
  indexOf: (id: string) => number,
): Issue | undefined {
  for (const loop of loops.values()) {
    const queue = definition.edges
      .filter((edge) => edge.from === loop.id && edge.fromPort === DONE_PORT)
      .map((edge) => edge.to);
    const seen = new Set<string>();
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (seen.has(next) || next === loop.id) continue;
      if (loop.body.has(next)) {
        return {
          code: 'FF_VALIDATION',
          message:
            `node "${next}" is both in the body of loop "${loop.id}" (after its "${LOOP_PORT}" port) and after ` +
            `its "${DONE_PORT}" port, so it would wait for the loop to end while the loop waits for it; connect it to one side only`,
          path: ['nodes', indexOf(next)],
        };
      }
      seen.add(next);
      queue.push(...(forward.get(next) ?? []));
    }
  }
  return undefined;
}

/** Depth-first search; returns the nodes of one cycle, closed (`a → b → a`), or undefined. */
function findCycle(ids: string[], outgoing: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of outgoing.get(id) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}
