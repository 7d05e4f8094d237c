import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import { describeNodeType, NodeTypeInfoSchema, nodeTypeFromInfo, paramsFromJsonSchema } from './node-types.ts';

const greet = defineNode({
  type: 'acme.greet',
  version: 2,
  displayName: 'Greet',
  description: 'Greets.',
  params: z.object({ name: z.string().min(1), loud: z.boolean().default(false) }),
  inputs: ['main'],
  outputs: (params) => (Array.isArray(params.ports) ? (params.ports as string[]) : ['main']),
  credentials: [{ name: 'api', type: 'httpHeaderAuth', required: true }],
  defaultTimeout: '45s',
  literalParams: ['name'],
  capabilities: { pure: true },
  execute: () => ({}),
});

describe('describeNodeType', () => {
  it('says everything but execute as JSON: params schema, ports, credentials, capabilities as booleans', () => {
    const info = describeNodeType(greet);
    expect(info).toEqual({
      type: 'acme.greet',
      version: 2,
      displayName: 'Greet',
      description: 'Greets.',
      group: 'integration',
      paramsSchema: expect.objectContaining({ type: 'object', required: ['name'] }),
      inputs: ['main'],
      dynamicInputs: false,
      outputs: [],
      dynamicOutputs: true,
      credentials: [{ name: 'api', type: 'httpHeaderAuth', required: true }],
      defaultTimeout: '45s',
      literalParams: ['name'],
      capabilities: { trigger: false, durableWait: false, pure: true, linkedWorkflows: false },
    });
    expect(NodeTypeInfoSchema.parse(JSON.parse(JSON.stringify(info)))).toEqual(info);
  });
});

describe('NodeTypeInfoSchema', () => {
  it('reads an answer from a newer peer: unknown fields dropped, an unknown palette group becomes integration', () => {
    const info = { ...describeNodeType(greet), group: 'robots', badge: 'new' };
    const parsed = NodeTypeInfoSchema.parse(info);
    expect(parsed.group).toBe('integration');
    expect(parsed).not.toHaveProperty('badge');
  });

  it('refuses a type name that is not namespaced', () => {
    expect(NodeTypeInfoSchema.safeParse({ ...describeNodeType(greet), type: 'greet' }).success).toBe(false);
  });
});

describe('nodeTypeFromInfo', () => {
  it('validates params with the rebuilt schema and allows any output port for dynamic outputs', () => {
    const descriptor = nodeTypeFromInfo(describeNodeType(greet));
    expect(descriptor.params.safeParse({ name: 'Ada' }).success).toBe(true);
    expect(descriptor.params.safeParse({ name: '' }).success).toBe(false);
    expect(descriptor.extraOutputs?.test('whatever')).toBe(true);
    expect(descriptor.capabilities).toEqual({ trigger: false, durableWait: false, pure: true });
  });

  it('refuses, when the run starts, a worker type that links workflows: their targets cannot be resolved here', () => {
    const info = describeNodeType(greet);
    const descriptor = nodeTypeFromInfo({ ...info, capabilities: { ...info.capabilities, linkedWorkflows: true } });
    const links = descriptor.capabilities?.linkedWorkflows;
    expect(links).toBeTypeOf('function');
    expect(() => links?.({})).toThrow(FlowForgeError);
    expect(() => links?.({})).toThrow(/node type "acme.greet" starts other workflows/);
  });

  it('throws for an info that breaks a descriptor rule (a trigger with inputs)', () => {
    const info = describeNodeType(greet);
    expect(() => nodeTypeFromInfo({ ...info, capabilities: { ...info.capabilities, trigger: true } })).toThrow(
      /is a trigger, so it has no input ports/,
    );
  });
});

describe('paramsFromJsonSchema', () => {
  it('falls back to any params object when zod cannot rebuild the schema, and says so', () => {
    const negated = { type: 'object', properties: { mode: { not: { const: 'a' } } } };
    const { params, exact } = paramsFromJsonSchema(negated);
    expect(exact).toBe(false);
    expect(params.safeParse({ mode: 'a' }).success).toBe(true);
    expect(params.safeParse('not an object').success).toBe(false);
  });

  it('rebuilds what it can exactly', () => {
    const { params, exact } = paramsFromJsonSchema({ type: 'object', properties: { n: { type: 'integer' } } });
    expect(exact).toBe(true);
    expect(params.safeParse({ n: 1.5 }).success).toBe(false);
  });
});
