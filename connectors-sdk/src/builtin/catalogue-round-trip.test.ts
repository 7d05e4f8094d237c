import { describe, expect, it } from 'vitest';
import { describeNodeType, NodeTypeInfoSchema, nodeTypeFromInfo } from '../contract/node-types.ts';
import { type AnyNodeDescriptor, paramIssues, type WorkflowNode } from '../index.ts';
import { builtinNodeTypes } from './index.ts';
import { exampleSamples, nodeTestSamples, type ParamsSample } from './params-samples.test-support.ts';

/**
 * A worker sends its node types as NodeTypeInfo (JSON); the control plane rebuilds descriptors from
 * them (params via z.fromJSONSchema). Here every built-in type makes that trip, and the rebuilt
 * descriptor is held against the params the repository itself uses: every example workflow and the
 * literal params of the built-in node tests.
 */

/** What a worker's answer is after Temporal's JSON payload converter. */
function overTheWire(descriptor: AnyNodeDescriptor): AnyNodeDescriptor {
  return nodeTypeFromInfo(NodeTypeInfoSchema.parse(JSON.parse(JSON.stringify(describeNodeType(descriptor)))));
}

const byType = new Map(builtinNodeTypes.map((descriptor) => [descriptor.type, descriptor]));
const rebuilt = new Map(builtinNodeTypes.map((descriptor) => [descriptor.type, overTheWire(descriptor)]));
/** `coreSet` → `core.set`: how the node tests name the definitions they run. */
const typeOfDefinition = (name: string) =>
  builtinNodeTypes.find((d) => d.type.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()) === name)?.type;
const samples: ParamsSample[] = [...exampleSamples(), ...nodeTestSamples(typeOfDefinition)].filter((sample) =>
  byType.has(sample.type),
);

const accepts = (descriptor: AnyNodeDescriptor, params: Record<string, unknown>) =>
  paramIssues({ params } as WorkflowNode, descriptor, []).length === 0;

/** toJSONSchema(fromJSONSchema(x)) spells open objects out (`additionalProperties: {}`); the same schema. */
function normalised(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(normalised);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema)
    .filter(([key, value]) => !(['additionalProperties', 'properties'].includes(key) && isEmptyObject(value)))
    .map(([key, value]) => [key, normalised(value)] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}
const isEmptyObject = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

describe('the catalogue round trip of the built-in node types', () => {
  it('harvests params from the examples and the node tests for every built-in type', () => {
    expect(samples.length).toBeGreaterThan(80);
    const covered = new Set(samples.map((sample) => sample.type));
    expect(builtinNodeTypes.map((d) => d.type).filter((type) => !covered.has(type))).toEqual([]);
  });

  it('describes every type with the same info after the trip, params schema included', () => {
    for (const descriptor of builtinNodeTypes) {
      const info = describeNodeType(descriptor);
      const again = describeNodeType(rebuilt.get(descriptor.type) as AnyNodeDescriptor);
      const ports = (i: typeof info) => ({ ...i, paramsSchema: normalised(i.paramsSchema) });
      if (info.dynamicOutputs) {
        // A function of the params cannot travel: any port name stands for it on the far side.
        expect(again).toMatchObject({ outputs: [], dynamicOutputs: false, extraOutputs: expect.any(String) });
        expect(ports({ ...again, dynamicOutputs: true, extraOutputs: undefined })).toEqual(
          ports({ ...info, extraOutputs: undefined }),
        );
      } else {
        expect(ports(again), descriptor.type).toEqual(ports(info));
      }
    }
  });

  it('accepts every params sample the built-in descriptor accepts (never stricter)', () => {
    const refused = samples.filter(
      (sample) =>
        accepts(byType.get(sample.type) as AnyNodeDescriptor, sample.params) &&
        !accepts(rebuilt.get(sample.type) as AnyNodeDescriptor, sample.params),
    );
    expect(refused.map((sample) => `${sample.where} ${sample.type} ${JSON.stringify(sample.params)}`)).toEqual([]);
  });

  it('refuses what JSON Schema can say: missing and mistyped params, enums, bounds, strict objects, patterns', () => {
    const bad: Array<[string, Record<string, unknown>]> = [
      ['core.set', { values: 'not an object' }],
      ['core.set', {}],
      ['core.limit', { max: -1 }],
      ['core.limit', { max: 'many' }],
      ['http.request', {}],
      ['http.request', { url: 'http://127.0.0.1/', method: 'FETCH' }],
      ['core.code', { code: '' }],
      ['core.approval', { roles: ['x'], colour: 'red' }],
      ['core.sort', { by: [] }],
      ['core.wait', { for: '5 minutes' }],
      ['core.switch', { rules: [] }],
      ['core.executeWorkflow', { workflow: 'Not A Name' }],
      ['core.loop', { batchSize: 0 }],
      ['core.if', {}],
    ];
    for (const [type, params] of bad) {
      expect(accepts(byType.get(type) as AnyNodeDescriptor, params), `${type} ${JSON.stringify(params)}`).toBe(false);
      expect(accepts(rebuilt.get(type) as AnyNodeDescriptor, params), `${type} ${JSON.stringify(params)}`).toBe(false);
    }
  });

  it('is looser where zod checks things JSON Schema cannot say: the worker keeps checking those', () => {
    // refine() and z.custom() never reach the JSON Schema; if zod starts carrying them, update the docs.
    const looser: Array<[string, Record<string, unknown>]> = [
      ['core.wait', {}],
      ['core.merge', { mode: 'combineByKey' }],
      ['core.set', { values: { '__proto__.polluted': 1 } }],
      ['http.request', { url: 'ftp://127.0.0.1/file' }],
      ['core.switch', { rules: [{ port: 'error', condition: true }] }],
    ];
    for (const [type, params] of looser) {
      expect(accepts(byType.get(type) as AnyNodeDescriptor, params), type).toBe(false);
      expect(accepts(rebuilt.get(type) as AnyNodeDescriptor, params), type).toBe(true);
    }
  });

  it('keeps ports: static lists, Merge extra inputs, and any port for a Switch', () => {
    const merge = rebuilt.get('core.merge') as AnyNodeDescriptor;
    expect(merge.inputs).toEqual(['in1', 'in2']);
    expect(merge.extraInputs?.test('in3')).toBe(true);
    expect(merge.extraInputs?.test('main')).toBe(false);
    const ifType = rebuilt.get('core.if') as AnyNodeDescriptor;
    expect(ifType.outputs).toEqual(['true', 'false']);
    const switchType = rebuilt.get('core.switch') as AnyNodeDescriptor;
    expect(switchType.extraOutputs?.test('anything')).toBe(true);
  });
});
