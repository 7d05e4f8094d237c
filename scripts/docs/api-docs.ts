import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  parse,
  print,
} from 'graphql';
import { userSchema } from '../../control-plane/src/auth/users/user-graphql.ts';
import { schema as controlPlaneSchema } from '../../control-plane/src/graphql/schema.ts';

/** The control plane's whole schema, as buildApp serves it (the base schema and its extensions). */
export function controlPlaneSdl(): string {
  return `${controlPlaneSchema}\n${userSchema}`;
}

/** Worked examples per root field: what a caller sends (the reference itself comes from the schema). */
export const EXAMPLES: Record<string, string> = {
  pushWorkflow: `mutation ($d: JSON!) { pushWorkflow(definition: $d, message: "first cut") { workflow version hash created } }`,
  startRun: `mutation ($input: JSON) { startRun(workflow: "hello", input: $input) { runId status } }`,
  run: `{ run(id: "<runId>", waitSeconds: 30) { status nodes } }`,
  runs: `{ runs(workflow: "hello", limit: 5) { runId status startedAt } }`,
  approve: `mutation { approve(runId: "<runId>", comment: "looks right") { runId status } }`,
  workflowDiff: `{ workflowDiff(name: "orders", from: 1, to: 2) { nodes { added removed } } }`,
  auditEvents: `{ auditEvents(since: "2026-12-01T00:00:00Z", first: 20) { events { at actor action target } nextCursor } }`,
  runEvents: `subscription { runEvents(runId: "<runId>") { event nodeId at } }`,
};

/** docs/api.md: every query, mutation and subscription with its arguments and description, then every type. */
export function renderApiDocs(sdl: string = controlPlaneSdl()): string {
  const schema = buildSchema(sdl);
  const lines = [
    '# The FlowForge GraphQL API',
    '',
    'Generated from the control plane schema by `npm run docs:api` (`scripts/docs/api-docs.ts`);',
    '`scripts/docs/api-docs.test.ts` fails when this page and the schema differ. Do not edit by hand.',
    '',
    'Queries and mutations are POSTed to `/graphql` with `Authorization: Bearer <API key>` (or a UI',
    'session cookie and its `X-FlowForge-CSRF` header). Subscriptions use the graphql-ws protocol on the',
    'same path, with the key in `connection_init`: `{ "authorization": "Bearer <key>" }`. Errors carry',
    '`extensions.code` (an `FF_*` code: [errors.md](errors.md)).',
    '',
    '```sh',
    'curl -s http://127.0.0.1:4000/graphql -H "authorization: Bearer $FLOWFORGE_API_KEY" \\',
    `  -H 'content-type: application/json' -d '{"query":"{ workflows { name activeVersion } }"}'`,
    '```',
    '',
  ];
  for (const [title, root] of [
    ['Queries', schema.getQueryType()],
    ['Mutations', schema.getMutationType()],
    ['Subscriptions', schema.getSubscriptionType()],
  ] as const) {
    if (!root) continue;
    lines.push(`## ${title}`, '');
    for (const field of Object.values(root.getFields()).sort(byName)) lines.push(...rootField(field));
  }
  lines.push('## Types', '');
  for (const type of namedTypes(schema)) lines.push(...typeSection(type));
  return `${lines.join('\n').trimEnd()}\n`;
}

function rootField(field: GraphQLField<unknown, unknown>): string[] {
  const out = [`### ${field.name}`, '', '```graphql', signature(field), '```', ''];
  if (field.description) out.push(oneLine(field.description), '');
  const described = field.args.filter((arg) => arg.description);
  for (const arg of described) out.push(`- \`${arg.name}\`: ${oneLine(arg.description ?? '')}`);
  if (described.length > 0) out.push('');
  const example = EXAMPLES[field.name];
  // print: one field per line, as the formatter (biome) writes GraphQL blocks in Markdown.
  if (example) out.push('Example:', '', '```graphql', print(parse(example)).trimEnd(), '```', '');
  return out;
}

function typeSection(type: GraphQLNamedType): string[] {
  const out = [`### ${type.name}`, ''];
  if (type.description) out.push(oneLine(type.description), '');
  if (isObjectType(type) || isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      const note = field.description ? `: ${oneLine(field.description)}` : '';
      out.push(`- \`${field.name}: ${String(field.type)}\`${note}`);
    }
    out.push('');
  } else if (isEnumType(type)) {
    out.push(
      type
        .getValues()
        .map((value) => `\`${value.name}\``)
        .join(', '),
      '',
    );
  } else if (isScalarType(type)) {
    out.push('A scalar: any JSON value.', '');
  }
  return out;
}

function namedTypes(schema: GraphQLSchema): GraphQLNamedType[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !roots.has(type as never))
    .filter((type) => !(isScalarType(type) && isSpecifiedScalarType(type)))
    .sort(byName);
}

function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map(argument).join(', ');
  return `${field.name}${args ? `(${args})` : ''}: ${String(field.type)}`;
}

function argument(arg: GraphQLArgument): string {
  const fallback = arg.defaultValue === undefined ? '' : ` = ${JSON.stringify(arg.defaultValue)}`;
  return `${arg.name}: ${String(arg.type)}${fallback}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
