import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from './define-node.ts';
import { paramsJsonSchema } from './params-schema.ts';

function nodeWith(params: z.ZodType) {
  return defineNode({
    type: 'test.schema',
    version: 1,
    displayName: 'Schema',
    description: 'Has parameters.',
    params,
    inputs: ['main'],
    outputs: ['main'],
    defaultTimeout: '30s',
    execute: () => ({ main: [] }),
  });
}

describe('paramsJsonSchema', () => {
  it('describes parameters with types, descriptions, enums and defaults', () => {
    const schema = paramsJsonSchema(
      nodeWith(
        z.object({
          method: z.enum(['GET', 'POST']).default('GET').describe('The HTTP method.'),
          url: z.string().describe('Where to send the request.'),
          retries: z.int().min(0).optional(),
        }),
      ),
    );
    expect(schema).toMatchObject({
      type: 'object',
      properties: {
        method: { type: 'string', enum: ['GET', 'POST'], default: 'GET', description: 'The HTTP method.' },
        url: { type: 'string', description: 'Where to send the request.' },
        retries: { type: 'integer', minimum: 0 },
      },
      required: ['url'],
    });
  });

  it('describes the input side: a field with a default is not required, a transform shows its input type', () => {
    const schema = paramsJsonSchema(
      nodeWith(z.object({ mode: z.string().default('append'), size: z.string().transform((s) => s.length) })),
    );
    expect(schema.required).toEqual(['size']);
    expect(schema.properties).toMatchObject({ size: { type: 'string' } });
  });

  it('turns what JSON Schema cannot express into an empty schema instead of throwing', () => {
    const schema = paramsJsonSchema(nodeWith(z.object({ when: z.date(), ok: z.boolean() })));
    expect(schema.properties).toEqual({ when: {}, ok: { type: 'boolean' } });
  });
});
