import type ivm from 'isolated-vm';
import type { RunInfo } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { Item, PortItems } from '../items.ts';
import type { ParamTemplate } from './param-templates.ts';
import { releaseQuietly, type Sandbox } from './sandbox.ts';
import { classifySandboxFailure, sandboxFailureKind } from './sandbox-failure.ts';
import { isCancellation, sandboxPool } from './sandbox-pool.ts';
import { needsLuxon, SCOPE_NAMES, SCOPE_SOURCE, scopeData } from './sandbox-scope.ts';
import type { TemplateExpression } from './template.ts';

/** Expressions are short; a second is generous and stops `{{ (() => { while (true) {} })() }}`. */
export const EXPRESSION_TIMEOUT_MS = 1_000;

/**
 * One call evaluates every expression for every item, so big inputs get more time: 1 s plus
 * 10 ms per 1,000 evaluations (100,000 items with two expressions take ~0.5 s on a laptop).
 */
export function expressionBudgetMs(evaluations: number): number {
  return EXPRESSION_TIMEOUT_MS + Math.floor(evaluations / 100);
}

export interface EvaluationRequest {
  templates: readonly ParamTemplate[];
  /** One evaluation row per item; with no items, one row where `$json` is `{}`. */
  items: readonly Item[];
  nodeOutputs: Record<string, PortItems>;
  run: RunInfo;
  /** The node's abort signal: a cancelled node's evaluation leaves the queue (or its lane). */
  signal?: AbortSignal | undefined;
}

export type TemplateOutcome =
  | { ok: true; value: unknown }
  | { ok: false; message: string; expression: TemplateExpression | undefined };

/** Where a whole call failed (timeout, memory): which row and template were running. */
export class EvaluationAborted extends Error {
  readonly failure: FlowForgeError;
  readonly itemIndex: number | undefined;
  readonly templateIndex: number | undefined;
  readonly expressionIndex: number | undefined;

  constructor(failure: FlowForgeError, at: ReadonlyArray<number | undefined> | undefined) {
    super(failure.message);
    this.failure = failure;
    [this.itemIndex, this.templateIndex, this.expressionIndex] = at ?? [];
  }
}

/**
 * Evaluates every template for every item in ONE sandbox call in a fresh context: the host sends
 * the data in as JSON and gets every result back as JSON. An expression that throws fails only its
 * own template and item (the node sees it when it reads that item's params); a timeout or a
 * memory breach aborts the whole call (EvaluationAborted). The call runs in the sandbox pool,
 * which may stop it and run it again (sandbox-pool.ts): evaluating has no effect but its result.
 */
export async function evaluateTemplates(request: EvaluationRequest): Promise<TemplateOutcome[][]> {
  const expressions = request.templates.flatMap(({ template }) =>
    template.parts.filter((part): part is TemplateExpression => part.kind === 'expression'),
  );
  const sources = expressions.map((expression) => expression.source);
  const layouts = layoutOf(request.templates);
  const data = {
    ...scopeData(sources.join('\n'), request.items, request.nodeOutputs, request.run, { alwaysBinary: false }),
    layouts,
    rows: Math.max(request.items.length, 1),
  };
  const pool = sandboxPool();
  const timeoutMs = expressionBudgetMs(data.rows * sources.length);
  const input = JSON.stringify(data);
  let output: string;
  try {
    output = await pool.run({
      runId: request.run.id,
      budgetMs: timeoutMs,
      signal: request.signal,
      attempt: (box) => evaluateIn(box, { sources, templates: request.templates, input, timeoutMs }),
    });
  } catch (error) {
    if (error instanceof EvaluationAborted || isCancellation(error, request.signal)) throw error;
    const failure = classifySandboxFailure(error instanceof StoppedAt ? error.cause : error, {
      code: 'FF_EXPRESSION',
      timeoutMs,
      memoryLimitMb: pool.memoryLimitMb,
      what: 'the expression',
    });
    throw new EvaluationAborted(failure, error instanceof StoppedAt ? error.at : undefined);
  }
  return decode(JSON.parse(output) as RawOutcome[][], request.templates);
}

/** A call cut short (by isolated-vm), with where the program was: [item, template, expression]. */
class StoppedAt extends Error {
  readonly at: ReadonlyArray<number | undefined> | undefined;

  constructor(cause: unknown, at: unknown) {
    super('the expression was stopped', { cause });
    this.at = Array.isArray(at) ? at : undefined;
  }
}

/** One attempt in one sandbox; isolated-vm's errors stay as they are, for the pool to read. */
async function evaluateIn(
  box: Sandbox,
  call: { sources: readonly string[]; templates: readonly ParamTemplate[]; input: string; timeoutMs: number },
): Promise<string> {
  let script: ivm.Script;
  try {
    script = await box.compile(programFor(call.sources), { filename: 'expression.js' });
  } catch (error) {
    if (sandboxFailureKind(error)) throw error;
    throw await compileFailure(box, call.sources, call.templates, error);
  }
  const context = await box.createContext({ luxon: call.sources.some(needsLuxon) });
  try {
    await context.global.set('__ffInput', call.input);
    try {
      return (await script.run(context, { timeout: call.timeoutMs })) as string;
    } catch (error) {
      const at = await context.global.get('__ffAt', { copy: true }).catch(() => undefined);
      throw new StoppedAt(error, at);
    }
  } finally {
    releaseQuietly(context);
  }
}

/**
 * acorn accepted every expression, but V8 may still refuse one (strict mode forbids `010`, for
 * one). Compile them one by one to name the culprit; this only runs when something is wrong.
 * Returns what to throw: an EvaluationAborted naming the culprit, or else the error itself.
 */
async function compileFailure(
  box: Sandbox,
  sources: readonly string[],
  templates: readonly ParamTemplate[],
  error: unknown,
): Promise<unknown> {
  for (const [flat, source] of sources.entries()) {
    try {
      await box.compile(programFor([source]), { filename: 'expression.js' });
    } catch (culpritError) {
      if (sandboxFailureKind(culpritError)) return culpritError;
      const message =
        culpritError instanceof Error ? `${culpritError.name}: ${culpritError.message}` : String(culpritError);
      const culprit = new FlowForgeError('FF_EXPRESSION', `the expression does not compile: ${message}`);
      return new EvaluationAborted(culprit, [undefined, templateOf(templates, flat), flat]);
    }
  }
  return error;
}

/** The index of the template that holds expression number `flat` of the flat list. */
function templateOf(templates: readonly ParamTemplate[], flat: number): number {
  let seen = 0;
  for (const [index, { template }] of templates.entries()) {
    seen += template.parts.filter((part) => part.kind === 'expression').length;
    if (flat < seen) return index;
  }
  return templates.length - 1;
}

/** Per template: text parts as strings, expressions as their index in the flat expression list. */
function layoutOf(templates: readonly ParamTemplate[]): Array<{ single: boolean; parts: Array<string | number> }> {
  let next = 0;
  return templates.map(({ template }) => ({
    single: template.single,
    parts: template.parts.map((part) => (part.kind === 'text' ? part.text : next++)),
  }));
}

/**
 * The sandbox program for a list of expressions. Only the expressions vary, so the compiled
 * script is cached per isolate and reused across items and runs. Each expression is already
 * known to be exactly one JavaScript expression (acorn), so `return (...)` cannot be escaped.
 */
function programFor(sources: readonly string[]): string {
  const functions = sources.map(
    (source) => `function (${SCOPE_NAMES.join(', ')}) { 'use strict'; return (${source}\n); }`,
  );
  return `${SCOPE_SOURCE}
(function () {
  'use strict';
  const expressions = [${functions.join(',\n')}];
  const data = JSON.parse(globalThis.__ffInput);
  const DateTime = globalThis.luxon && globalThis.luxon.DateTime;
  const toText = (value) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (DateTime && DateTime.isDateTime(value)) return value.toISO();
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  const rows = [];
  for (let index = 0; index < data.rows; index++) {
    const scope = __ffScope(data, index);
    const names = [${SCOPE_NAMES.map((name) => `scope.${name}`).join(', ')}];
    const evaluate = (at, template) => {
      globalThis.__ffAt = [index, template, at];
      return expressions[at].apply(undefined, names);
    };
    const row = [];
    data.layouts.forEach((layout, template) => {
      let expression;
      try {
        let value;
        if (layout.single) {
          expression = layout.parts[0];
          value = evaluate(expression, template);
        } else {
          value = layout.parts
            .map((part) => (typeof part === 'string' ? part : toText(evaluate((expression = part), template))))
            .join('');
        }
        const json = JSON.stringify(value);
        row.push(json === undefined ? 0 : { j: json });
      } catch (error) {
        row.push({ e: __ffDescribe(error), x: expression });
      }
    });
    rows.push(row);
  }
  return JSON.stringify(rows);
})();
`;
}

type RawOutcome = 0 | { j: string } | { e: string; x?: number };

function decode(rows: RawOutcome[][], templates: readonly ParamTemplate[]): TemplateOutcome[][] {
  return rows.map((row) =>
    row.map((raw, index): TemplateOutcome => {
      if (raw === 0) return { ok: true, value: undefined };
      if ('j' in raw) return { ok: true, value: JSON.parse(raw.j) };
      return { ok: false, message: raw.e, expression: expressionAt(templates, index, raw.x) };
    }),
  );
}

/** The expression a flat index points at, found within its template. */
export function expressionAt(
  templates: readonly ParamTemplate[],
  templateIndex: number,
  flatIndex: number | undefined,
): TemplateExpression | undefined {
  if (flatIndex === undefined) return undefined;
  let next = 0;
  for (const [index, { template }] of templates.entries()) {
    for (const part of template.parts) {
      if (part.kind !== 'expression') continue;
      if (next === flatIndex && index === templateIndex) return part;
      next += 1;
    }
  }
  return undefined;
}
