import { MAX_JSON_DEPTH } from '@flowforge/connectors-sdk';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { checkJsonArgument } from '../boundary/json-arguments.ts';

/**
 * Any JSON value, as-is. Small enough to write here rather than add a dependency for it. Every JSON
 * argument (definitions, inputs, approval fields), from variables or from the query text, passes
 * through parseValue or parseLiteral: the one place its depth and keys are checked. The error's path
 * is inside the value; the error formatter puts the argument's name in front.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: `Any JSON value, nested at most ${MAX_JSON_DEPTH} levels deep`,
  serialize: (value) => value,
  parseValue: (value) => {
    checkJsonArgument(value);
    return value;
  },
  parseLiteral: (ast, variables) => {
    // The query text's nesting is bounded before parsing (boundary/query-text.ts), so this recursion is too.
    const value = literal(ast, variables);
    checkJsonArgument(value);
    return value;
  },
});

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => literal(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literal(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default: {
      const unknown: never = ast;
      return unknown;
    }
  }
}
