import { FlowForgeError, MAX_JSON_DEPTH } from '@flowforge/connectors-sdk';
import { GraphQLError, parse } from 'graphql';

/**
 * How deep brackets (`{ [ (`) may nest in a GraphQL query text: twice the JSON depth, so a JSON
 * literal at its limit still fits inside an operation and its selections. graphql-js parses
 * recursively and overflowed the stack at about 3,000 levels of a JSON literal (a RangeError Mercurius
 * took for a syntax error); a 1 MiB body can nest 300,000 deep.
 */
export const MAX_QUERY_NESTING = 2 * MAX_JSON_DEPTH;

/**
 * Mercurius's preParsing hook: refuses a query text nested past MAX_QUERY_NESTING (FF_BAD_INPUT with
 * the line and column), then parses it the way Mercurius will and throws graphql-js's syntax error
 * itself. Without that, Mercurius takes a text that does not parse for a JSON-encoded document AST
 * and runs whatever JSON.parse makes of it: `{"query": "5"}` got "internal error".
 */
export function checkQueryText(source: string): void {
  const tooDeep = firstTooDeep(source);
  if (tooDeep !== undefined) {
    const { line, column } = lineAndColumn(source, tooDeep);
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `the GraphQL query nests brackets deeper than ${MAX_QUERY_NESTING} levels (line ${line}, column ${column})`,
      {
        path: ['query'],
        hint: `a JSON argument may nest at most ${MAX_JSON_DEPTH} levels, in the query text or in variables: flatten the value`,
      },
    );
  }
  try {
    parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    // Past the nesting check this should not happen; if the scan missed a form, still a user error.
    throw new FlowForgeError('FF_BAD_INPUT', 'the GraphQL query could not be parsed (nested too deep?)', {
      path: ['query'],
      cause: error,
    });
  }
}

/** The index of the first bracket past MAX_QUERY_NESTING, skipping strings, block strings and comments. */
function firstTooDeep(text: string): number | undefined {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '#') {
      index = endOfLine(text, index);
    } else if (char === '"') {
      index = text.startsWith('"""', index) ? endOfBlockString(text, index) : endOfString(text, index);
    } else if (char === '{' || char === '[' || char === '(') {
      depth++;
      if (depth > MAX_QUERY_NESTING) return index;
    } else if (char === '}' || char === ']' || char === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function endOfLine(text: string, from: number): number {
  let index = from;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
  return index;
}

/** The closing quote of `"…"` (escapes skipped); an unterminated string ends at its line (graphql-js reports it). */
function endOfString(text: string, from: number): number {
  let index = from + 1;
  while (index < text.length && text[index] !== '"' && text[index] !== '\n' && text[index] !== '\r') {
    index += text[index] === '\\' ? 2 : 1;
  }
  return index;
}

/** The last quote of `"""…"""`; `\"""` inside does not close it. */
function endOfBlockString(text: string, from: number): number {
  let index = from + 3;
  for (;;) {
    const close = text.indexOf('"""', index);
    if (close < 0) return text.length;
    if (text[close - 1] !== '\\') return close + 2;
    index = close + 3;
  }
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
