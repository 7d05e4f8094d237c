import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { controlPlaneSdl, EXAMPLES, renderApiDocs } from './api-docs.ts';

const onDisk = () => readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

describe('docs/api.md', () => {
  it('is what npm run docs:api makes from the schema as it is now', () => {
    expect(onDisk(), 'the schema changed: run npm run docs:api').toBe(renderApiDocs());
  });

  it('has a section for every query, mutation and subscription, with its arguments', () => {
    const schema = buildSchema(controlPlaneSdl());
    const markdown = onDisk();
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        expect(markdown, field.name).toContain(`### ${field.name}\n`);
        for (const arg of field.args)
          expect(markdown, `${field.name}(${arg.name})`).toContain(`${arg.name}: ${arg.type}`);
      }
    }
  });

  it('has examples the schema accepts', () => {
    const schema = buildSchema(controlPlaneSdl());
    for (const [field, example] of Object.entries(EXAMPLES)) {
      expect(
        validate(schema, parse(example)).map((error) => error.message),
        field,
      ).toEqual([]);
    }
  });

  it('renders a field with its description, arguments and default values', () => {
    const markdown = renderApiDocs(`
      type Query {
        "Finds things."
        things("At most this many." first: Int = 10, kind: Kind): [Thing!]!
      }
      enum Kind { A B }
      type Thing { "Its name." name: String! }
    `);
    expect(markdown).toContain('```graphql\nthings(first: Int = 10, kind: Kind): [Thing!]!\n```');
    expect(markdown).toContain('Finds things.');
    expect(markdown).toContain('- `first`: At most this many.');
    expect(markdown).toContain('- `name: String!`: Its name.');
    expect(markdown).toContain('`A`, `B`');
  });
});
