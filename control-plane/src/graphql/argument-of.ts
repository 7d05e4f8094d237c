import { BREAK, type GraphQLError, Kind, parse, visit } from 'graphql';

/**
 * The field and argument an error about a value was raised for, found in the query text: graphql-js
 * reports a variable's error at its definition (`$i: JSON`) and a literal's at the value, neither
 * with the argument's name, which is what a person knows (`startRun(input)`). Undefined when the
 * error has no location or the value is not an argument's whole value.
 */
export function argumentOf(error: GraphQLError): { field: string; name: string } | undefined {
  const node = error.nodes?.[0];
  const source = node?.loc?.source.body;
  if (!node || source === undefined) return undefined;
  const variable = node.kind === Kind.VARIABLE_DEFINITION ? node.variable.name.value : undefined;
  const start = node.loc?.start;
  const fields: string[] = [];
  let found: { field: string; name: string } | undefined;
  // The text parsed once already (it is how the error got a location), so this parse succeeds.
  visit(parse(source), {
    Field: {
      enter: (field) => {
        fields.push(field.name.value);
      },
      leave: () => {
        fields.pop();
      },
    },
    Argument: (argument) => {
      const { value } = argument;
      const matches =
        variable === undefined
          ? value.loc?.start === start
          : value.kind === Kind.VARIABLE && value.name.value === variable;
      if (!matches) return undefined;
      found = { field: fields.at(-1) ?? '', name: argument.name.value };
      return BREAK;
    },
  });
  return found;
}
