import type { AnyNodeDefinition } from '../define-node.ts';
import { FlowForgeError, formatPath } from '../errors.ts';
import { zodIssues } from '../validate-workflow.ts';

/**
 * Validates evaluated parameters with the node's zod schema. The error names the node, the
 * parameter path and zod's message; `path` is `['params', ...zod path]` and every issue is kept.
 */
export function validateParams(definition: AnyNodeDefinition, nodeId: string, params: unknown, itemIndex?: number) {
  const result = definition.params.safeParse(params);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, ['params'], 'FF_INVALID_PARAMS');
  const first = issues[0];
  const described = issues.map((issue) => {
    const path = formatPath(issue.path.slice(1));
    return path ? `parameter ${path}: ${issue.message}` : `parameters: ${issue.message}`;
  });
  const forItem = itemIndex === undefined ? '' : ` (for item ${itemIndex})`;
  throw new FlowForgeError('FF_INVALID_PARAMS', `node "${nodeId}"${forItem}, ${described.join('; ')}`, {
    path: first?.path ?? ['params'],
    issues,
    hint: `fix the parameters of node "${nodeId}" (type ${definition.type}) in the workflow file`,
    details: itemIndex === undefined ? {} : { itemIndex },
  });
}
