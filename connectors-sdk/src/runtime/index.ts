// Node-only: the sandbox (isolated-vm) lives behind this subpath, never in the package root.
import { disposeSandboxPool } from './sandbox-pool.ts';

export { DEFAULT_CODE_TIMEOUT_MS } from './code-runner.ts';
export { EXPRESSION_TIMEOUT_MS } from './expression-evaluator.ts';
export { checkExpressions, collectTemplates, type ParamTemplate } from './param-templates.ts';
export { type NodeRunRequest, type NodeRunResult, runNode } from './run-node.ts';
export { parseTemplate, type Template, type TemplateExpression, type TemplatePart } from './template.ts';

/** Frees the sandbox isolates (for a clean worker shutdown); the next call would make new ones. */
export function disposeSandbox(): void {
  disposeSandboxPool();
}
