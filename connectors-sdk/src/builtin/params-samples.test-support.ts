// Test support for catalogue-round-trip.test.ts: the params that the repository's own workflow files and node
// tests give the built-in node types, harvested from the files themselves so new tests count too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ParamsSample {
  type: string;
  params: Record<string, unknown>;
  /** file:line, for the failure message. */
  where: string;
}

const root = join(import.meta.dirname, '..', '..', '..');

/** Every node of every workflow file under examples/. */
export function exampleSamples(): ParamsSample[] {
  return filesUnder(join(root, 'examples'), '.json').flatMap((file) => {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { nodes?: Array<{ type?: unknown; params?: unknown }> };
    if (!Array.isArray(parsed.nodes)) return [];
    return parsed.nodes
      .filter((node) => typeof node.type === 'string')
      .map((node) => ({
        type: node.type as string,
        params: (node.params ?? {}) as Record<string, unknown>,
        where: file.slice(root.length + 1),
      }));
  });
}

/**
 * The literal `params: {...}` of the built-in node tests (workers/src/nodes/*.test.ts): in a
 * `runNodeForTest(coreSet, { params })` call (the type from the definition's name) or in a workflow
 * node `{ type: 'core.set', params }`. Constants of the file are followed; a value the test computes
 * at run time (a server's URL in a template) becomes a placeholder URL; anything else is skipped.
 */
export function nodeTestSamples(typeOfDefinition: (name: string) => string | undefined): ParamsSample[] {
  const dir = join(root, 'workers', 'src', 'nodes');
  return filesUnder(dir, '.test.ts').flatMap((file) => harvest(file, typeOfDefinition));
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

const UNKNOWN = Symbol('unknown');
const PLACEHOLDER_URL = 'http://127.0.0.1:9';

function harvest(file: string, typeOfDefinition: (name: string) => string | undefined): ParamsSample[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, ts.Expression>();
  const objects: ts.ObjectLiteralExpression[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      constants.set(node.name.text, node.initializer);
    }
    if (ts.isObjectLiteralExpression(node)) objects.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const evaluate = (expression: ts.Expression, depth = 0): unknown => evaluateLiteral(expression, constants, depth);
  const samples: ParamsSample[] = [];
  for (const object of objects) {
    const params = property(object, 'params');
    const type = typeOf(object, evaluate, typeOfDefinition);
    // runNodeForTest without params runs the node with none, as a workflow node without params does.
    const value = !params
      ? type !== undefined && !property(object, 'type')
        ? {}
        : UNKNOWN
      : ts.isShorthandPropertyAssignment(params)
        ? evaluate(params.name)
        : evaluate((params as ts.PropertyAssignment).initializer);
    if (type === undefined || value === UNKNOWN || value === null || typeof value !== 'object') continue;
    const line = source.getLineAndCharacterOfPosition(object.getStart()).line + 1;
    samples.push({ type, params: value as Record<string, unknown>, where: `${file.slice(root.length + 1)}:${line}` });
  }
  return samples;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === name);
}

/** `{ type: 'core.set', params }`, or the second argument of `runNodeForTest(coreSet, {...})`. */
function typeOf(
  object: ts.ObjectLiteralExpression,
  evaluate: (expression: ts.Expression) => unknown,
  typeOfDefinition: (name: string) => string | undefined,
): string | undefined {
  const type = property(object, 'type');
  if (type && ts.isPropertyAssignment(type)) {
    const value = evaluate(type.initializer);
    return typeof value === 'string' ? value : undefined;
  }
  const call = object.parent;
  if (ts.isCallExpression(call) && call.arguments[1] === object && ts.isIdentifier(call.expression)) {
    const definition = call.arguments[0];
    if (call.expression.text === 'runNodeForTest' && definition && ts.isIdentifier(definition)) {
      return typeOfDefinition(definition.text);
    }
  }
  return undefined;
}

function evaluateLiteral(expression: ts.Expression, constants: Map<string, ts.Expression>, depth: number): unknown {
  if (depth > 20) return UNKNOWN;
  const again = (inner: ts.Expression) => evaluateLiteral(inner, constants, depth + 1);
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expression.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return again(expression.expression);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.MinusToken) {
    const value = again(expression.operand);
    return typeof value === 'number' ? -value : UNKNOWN;
  }
  if (ts.isTemplateExpression(expression)) {
    return expression.templateSpans.reduce((text, span) => {
      const value = again(span.expression);
      return `${text}${typeof value === 'string' || typeof value === 'number' ? value : PLACEHOLDER_URL}${span.literal.text}`;
    }, expression.head.text);
  }
  if (ts.isIdentifier(expression)) {
    if (expression.text === 'undefined') return undefined;
    const constant = constants.get(expression.text);
    return constant ? again(constant) : UNKNOWN;
  }
  if (ts.isArrayLiteralExpression(expression)) {
    const values = expression.elements.map((element) => (ts.isSpreadElement(element) ? UNKNOWN : again(element)));
    return values.includes(UNKNOWN) ? UNKNOWN : values;
  }
  if (ts.isObjectLiteralExpression(expression)) return evaluateObject(expression, again);
  return UNKNOWN;
}

function evaluateObject(object: ts.ObjectLiteralExpression, evaluate: (expression: ts.Expression) => unknown): unknown {
  const result: Record<string, unknown> = {};
  for (const element of object.properties) {
    if (ts.isSpreadAssignment(element)) {
      const spread = evaluate(element.expression);
      if (spread === UNKNOWN || spread === null || typeof spread !== 'object') return UNKNOWN;
      Object.assign(result, spread);
      continue;
    }
    const value = ts.isShorthandPropertyAssignment(element)
      ? evaluate(element.name)
      : ts.isPropertyAssignment(element)
        ? evaluate(element.initializer)
        : UNKNOWN;
    const key =
      element.name && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name))
        ? element.name.text
        : undefined;
    if (value === UNKNOWN || key === undefined) return UNKNOWN;
    result[key] = value;
  }
  return result;
}
