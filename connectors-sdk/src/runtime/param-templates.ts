import { FlowForgeError, formatPath, type Issue } from '../errors.ts';
import { isExpression } from '../workflow-definition.ts';
import { parseTemplate, type Template } from './template.ts';

/** A parameter that is an expression template, and where it sits in the params. */
export interface ParamTemplate {
  /** Path inside the params: `['values', 'greeting']`, `['rules', 0, 'condition']`. */
  path: Array<string | number>;
  template: Template;
}

/**
 * Finds every expression template in the raw params, walking nested objects and arrays.
 * Paths listed in `literalParams` (a Code node's `code`) and everything under them stay literal.
 * Throws FF_EXPRESSION, with the parameter's path, on the first template that does not parse.
 */
export function collectTemplates(
  rawParams: Record<string, unknown>,
  literalParams: readonly string[] = [],
): ParamTemplate[] {
  const found: ParamTemplate[] = [];
  walkExpressions(rawParams, literalParams, (value, path) => {
    found.push({ path, template: parseAt(value, path) });
  });
  return found;
}

/**
 * Checks the syntax of every expression in a node's raw params without running anything, so the
 * control plane can reject a broken workflow at push time. Returns one issue per broken template,
 * with its path (`['params', 'values', 'greeting']`); prefix the node's path when reporting.
 */
export function checkExpressions(rawParams: Record<string, unknown>, literalParams: readonly string[] = []): Issue[] {
  const issues: Issue[] = [];
  walkExpressions(rawParams, literalParams, (value, path) => {
    try {
      parseAt(value, path);
    } catch (error) {
      if (!(error instanceof FlowForgeError)) throw error;
      issues.push({ code: 'FF_EXPRESSION', message: error.message, path: error.path });
    }
  });
  return issues;
}

function walkExpressions(
  rawParams: Record<string, unknown>,
  literalParams: readonly string[],
  onExpression: (value: string, path: Array<string | number>) => void,
): void {
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (path.length > 0 && isLiteral(path, literalParams)) return;
    if (isExpression(value)) {
      onExpression(value, path);
    } else if (Array.isArray(value)) {
      value.forEach((entry, index) => {
        visit(entry, [...path, index]);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, entry] of Object.entries(value)) visit(entry, [...path, key]);
    }
  };
  visit(rawParams, []);
}

function parseAt(value: string, path: Array<string | number>): Template {
  try {
    return parseTemplate(value);
  } catch (error) {
    if (!(error instanceof FlowForgeError)) throw error;
    throw new FlowForgeError('FF_EXPRESSION', `parameter ${formatPath(path)}: ${error.message}`, {
      path: ['params', ...path],
      ...(error.hint ? { hint: error.hint } : {}),
      details: { expression: value },
    });
  }
}

/** `code` matches the path `['code']`; `options.script` matches `['options', 'script']` and below. */
function isLiteral(path: Array<string | number>, literalParams: readonly string[]): boolean {
  const printed = formatPath(path);
  return literalParams.some(
    (literal) => printed === literal || printed.startsWith(`${literal}.`) || printed.startsWith(`${literal}[`),
  );
}
