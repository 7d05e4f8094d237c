import { parseExpressionAt } from 'acorn';
import { FlowForgeError } from '../errors.ts';

/** One `{{ ... }}` segment of a template. */
export interface TemplateExpression {
  kind: 'expression';
  /** The JavaScript between the braces, as written. */
  source: string;
  /** The whole segment with its braces, for messages: `{{ $json.name }}`. */
  text: string;
  /** 1-based column of the opening `{{` in the parameter string (the leading `=` is column 1). */
  column: number;
}

export type TemplatePart = { kind: 'text'; text: string } | TemplateExpression;

export interface Template {
  parts: TemplatePart[];
  /** `={{ x }}` and nothing else: the result keeps the expression's type (number, object...). */
  single: boolean;
}

/**
 * Parses `=Hello {{ $json.name }}!`. The end of each segment is found with a real JavaScript
 * parser (acorn), not a regex, so `}}` inside strings and object literals (`{{ {a: {b: 1}} }}`)
 * does not end it early. A syntax error is an FF_EXPRESSION error with the column.
 */
export function parseTemplate(value: string): Template {
  if (!value.startsWith('=')) return { parts: [{ kind: 'text', text: value }], single: false };
  const body = value.slice(1);
  const parts: TemplatePart[] = [];
  let position = 0;
  while (position < body.length) {
    const open = body.indexOf('{{', position);
    if (open === -1) break;
    if (open > position) parts.push({ kind: 'text', text: body.slice(position, open) });
    const expression = parseSegment(body, open);
    parts.push(expression.part);
    position = expression.end;
  }
  if (position < body.length) parts.push({ kind: 'text', text: body.slice(position) });
  return { parts, single: parts.length === 1 && parts[0]?.kind === 'expression' };
}

function parseSegment(body: string, open: number): { part: TemplateExpression; end: number } {
  const start = open + 2;
  const column = open + 2; // +1 for the leading "=", +1 because columns count from 1
  let node: { start: number; end: number };
  try {
    node = parseExpressionAt(body, start, { ecmaVersion: 'latest' });
  } catch (error) {
    const at = (error as { pos?: number }).pos ?? start;
    const reason = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error);
    if (/^\{\{\s*\}\}/.test(body.slice(open))) throw syntaxError(`{{ }} is empty at column ${column}`);
    throw syntaxError(`syntax error at column ${at + 2} in the expression at column ${column}: ${reason}`);
  }
  let close = node.end;
  while (close < body.length && /\s/.test(body[close] as string)) close += 1;
  if (!body.startsWith('}}', close)) {
    throw syntaxError(
      `the expression at column ${column} is not closed: expected "}}" at column ${close + 2}` +
        (close < body.length ? `, found "${body.slice(close, close + 10)}"` : ''),
    );
  }
  const source = body.slice(node.start, node.end);
  return { part: { kind: 'expression', source, text: body.slice(open, close + 2), column }, end: close + 2 };
}

function syntaxError(message: string): FlowForgeError {
  return new FlowForgeError('FF_EXPRESSION', message, {
    hint: 'an expression is one JavaScript expression between {{ and }}, like {{ $json.name }}',
  });
}
