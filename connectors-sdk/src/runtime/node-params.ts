import type { AnyNodeDefinition } from '../define-node.ts';
import { FlowForgeError, formatPath } from '../errors.ts';
import { EvaluationAborted, evaluateTemplates, expressionAt, type TemplateOutcome } from './expression-evaluator.ts';
import { collectTemplates, type ParamTemplate } from './param-templates.ts';
import type { NodeRunRequest } from './run-node.ts';
import { validateParams } from './validate-params.ts';

/** A node's parameters per main-input item: evaluated, validated, cached. */
export interface NodeParams {
  at(index: number): unknown;
}

/**
 * Literal parameters are validated once, up front, so a bad workflow fails before `execute` and
 * the sandbox is never touched. Parameters with expressions are evaluated for every item in one
 * sandbox call and validated lazily per item: an item the node never reads cannot fail it, and
 * an expression error surfaces where the node reads that item's params.
 */
export async function prepareNodeParams(definition: AnyNodeDefinition, request: NodeRunRequest): Promise<NodeParams> {
  const { nodeId, rawParams } = request;
  const templates = withNode(nodeId, () => collectTemplates(rawParams, definition.literalParams));
  if (templates.length === 0) {
    const params = validateParams(definition, nodeId, rawParams);
    return { at: () => params };
  }
  const items = request.inputs.main ?? [];
  let rows: TemplateOutcome[][];
  try {
    rows = await evaluateTemplates({
      templates,
      items,
      nodeOutputs: request.nodeOutputs,
      run: request.run,
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof EvaluationAborted) throw abortedError(nodeId, templates, error, items.length);
    throw error;
  }
  const cache = new Map<number, unknown>();
  return {
    at(index) {
      if (cache.has(index)) return cache.get(index);
      const row = rows[index];
      if (!row) {
        throw new FlowForgeError(
          'FF_INTERNAL',
          `node "${nodeId}" asked for the parameters of item ${index}, but its main input has ${items.length} item(s)`,
        );
      }
      const params = assemble(nodeId, rawParams, templates, row, index, items.length);
      const valid = validateParams(definition, nodeId, params, items.length > 1 ? index : undefined);
      cache.set(index, valid);
      return valid;
    },
  };
}

/** A copy of the raw params with every template replaced by its value for one item. */
function assemble(
  nodeId: string,
  rawParams: Record<string, unknown>,
  templates: readonly ParamTemplate[],
  row: readonly TemplateOutcome[],
  itemIndex: number,
  itemCount: number,
): Record<string, unknown> {
  const params = structuredClone(rawParams);
  templates.forEach(({ path }, index) => {
    const outcome = row[index];
    if (!outcome) throw new FlowForgeError('FF_INTERNAL', `node "${nodeId}": an expression result is missing`);
    if (!outcome.ok) {
      const text = outcome.expression?.text ?? `"${path.join('.')}"`;
      const forItem = itemCount > 1 ? ` (item ${itemIndex})` : '';
      throw new FlowForgeError(
        'FF_EXPRESSION',
        `node "${nodeId}", parameter ${formatPath(path)}: ${text} failed${forItem}: ${outcome.message}`,
        {
          path: ['params', ...path],
          hint: 'check the expression against the item it ran on; $json is the current item',
          details: { expression: text, itemIndex },
        },
      );
    }
    setAt(params, path, outcome.value);
  });
  return params;
}

function setAt(target: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let parent: Record<string | number, unknown> = target;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) parent[last] = value;
}

function abortedError(
  nodeId: string,
  templates: readonly ParamTemplate[],
  aborted: EvaluationAborted,
  itemCount: number,
): FlowForgeError {
  const { failure, itemIndex, templateIndex, expressionIndex } = aborted;
  const template = templateIndex === undefined ? undefined : templates[templateIndex];
  if (!template || templateIndex === undefined) {
    return new FlowForgeError(failure.code, `node "${nodeId}": ${failure.message}`, {
      path: ['params'],
      retryable: failure.retryable,
      ...(failure.hint ? { hint: failure.hint } : {}),
    });
  }
  const expression = expressionAt(templates, templateIndex, expressionIndex);
  const text = expression?.text ?? formatPath(template.path);
  const forItem = itemCount > 1 && itemIndex !== undefined ? ` (item ${itemIndex})` : '';
  const what = failure.message.startsWith('the expression ')
    ? failure.message.slice('the expression '.length)
    : `failed: ${failure.message}`;
  return new FlowForgeError(
    failure.code,
    `node "${nodeId}", parameter ${formatPath(template.path)}: ${text}${forItem} ${what}`,
    {
      path: ['params', ...template.path],
      retryable: failure.retryable,
      ...(failure.hint ? { hint: failure.hint } : {}),
      details: { expression: text, itemIndex: itemIndex ?? 0 },
    },
  );
}

/** Puts the node's id in front of a parse error raised while collecting templates. */
function withNode<T>(nodeId: string, collect: () => T): T {
  try {
    return collect();
  } catch (error) {
    if (!(error instanceof FlowForgeError)) throw error;
    throw new FlowForgeError(error.code, `node "${nodeId}", ${error.message}`, {
      path: error.path,
      ...(error.hint ? { hint: error.hint } : {}),
      details: error.details,
    });
  }
}
