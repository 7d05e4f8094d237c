import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import { jsonOf, runNodeForTest } from '../testing/index.ts';

const greet = defineNode({
  type: 'test.greet',
  version: 1,
  displayName: 'Greet',
  description: 'Adds a greeting to every item.',
  params: z.object({ values: z.object({ greeting: z.string() }), times: z.int().min(1).default(1) }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  execute: (ctx) => ({
    main: ctx.items.map((item, index) => ({ json: { ...item.json, greeting: ctx.paramsAt(index).values.greeting } })),
  }),
});

function node(execute: (ctx: { items: unknown[] }) => unknown, outputs: readonly string[] = ['main']) {
  return defineNode({
    type: 'test.custom',
    version: 1,
    displayName: 'Custom',
    description: 'Returns what the test says.',
    params: z.object({}),
    inputs: ['main'],
    outputs,
    defaultTimeout: '30s',
    execute: execute as never,
  });
}

async function failure(promise: Promise<unknown>): Promise<FlowForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowForgeError);
  return error as FlowForgeError;
}

describe('runNode with literal parameters', () => {
  it('runs execute with validated params and wraps plain input objects as items', async () => {
    const result = await runNodeForTest(greet, { params: { values: { greeting: 'hi' } }, items: [{ a: 1 }, { a: 2 }] });
    expect(jsonOf(result)).toEqual([
      { a: 1, greeting: 'hi' },
      { a: 2, greeting: 'hi' },
    ]);
    expect(result.effect).toBeUndefined();
  });

  it('gives execute the parsed params, with zod defaults filled in', async () => {
    let seen: unknown;
    const spy = defineNode({
      ...greet,
      execute: (ctx) => {
        seen = ctx.params;
        return { main: [] };
      },
    });
    await runNodeForTest(spy, { params: { values: { greeting: 'hi' } } });
    expect(seen).toEqual({ values: { greeting: 'hi' }, times: 1 });
  });

  it('rejects invalid params with FF_INVALID_PARAMS naming the node and the parameter path', async () => {
    const error = await failure(runNodeForTest(greet, { nodeId: 'hello', params: { values: { greeting: 42 } } }));
    expect(error.code).toBe('FF_INVALID_PARAMS');
    expect(error.retryable).toBe(false);
    expect(error.path).toEqual(['params', 'values', 'greeting']);
    expect(error.message).toMatch(/^node "hello", parameter values\.greeting: .*expected string/);
  });

  it('reports every invalid parameter as an issue', async () => {
    const error = await failure(runNodeForTest(greet, { params: { values: {}, times: 0 } }));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      ['params', 'values', 'greeting'],
      ['params', 'times'],
    ]);
  });

  it('does not run execute when the params are invalid', async () => {
    let ran = false;
    const spy = defineNode({
      ...greet,
      execute: () => {
        ran = true;
        return { main: [] };
      },
    });
    await failure(runNodeForTest(spy, { params: {} }));
    expect(ran).toBe(false);
  });
});

describe('runNode outputs', () => {
  it('gives every declared port a list, empty when execute left it out', async () => {
    const result = await runNodeForTest(
      node(() => ({ true: [{ json: { a: 1 } }] }), ['true', 'false']),
      { items: [{}] },
    );
    expect(result.outputs).toEqual({ true: [{ json: { a: 1 } }], false: [] });
  });

  it('wraps plain objects returned on a port as items and keeps binary data', async () => {
    const binary = { file: { data: 'aGk=', mimeType: 'text/plain' } };
    const result = await runNodeForTest(node(() => ({ main: [{ a: 1 }, { json: { b: 2 }, binary }] })));
    expect(result.outputs.main).toEqual([{ json: { a: 1 } }, { json: { b: 2 }, binary }]);
  });

  it('fails with FF_INTERNAL when execute returns items on a port the node does not declare', async () => {
    const error = await failure(
      runNodeForTest(
        node(() => ({ maybe: [] }), ['true', 'false']),
        { nodeId: 'branch' },
      ),
    );
    expect(error.code).toBe('FF_INTERNAL');
    expect(error.message).toBe(
      'node "branch" (type test.custom) returned items on port "maybe", which it does not declare (its output ports: "true", "false")',
    );
  });

  it('fails with FF_INTERNAL when a port value is not a list', async () => {
    const error = await failure(runNodeForTest(node(() => ({ main: { json: {} } }))));
    expect(error.code).toBe('FF_INTERNAL');
    expect(error.message).toMatch(/on port "main"; a port carries a list of items/);
  });

  it('returns the durable wait the node asked for as a timer effect with an ISO time', async () => {
    const until = new Date('2030-01-02T03:04:05.000Z');
    const waiter = node((ctx) => {
      (ctx as unknown as { waitUntil(d: Date): void }).waitUntil(until);
      return { main: ctx.items };
    });
    const result = await runNodeForTest(waiter, { items: [{ a: 1 }] });
    expect(result).toEqual({
      outputs: { main: [{ json: { a: 1 } }] },
      effect: { kind: 'timer', until: '2030-01-02T03:04:05.000Z' },
    });
  });
});

describe('runNodeForTest', () => {
  it('passes inputs, run information and the node id through to the context', async () => {
    let seen: Record<string, unknown> = {};
    const spy = node((ctx) => {
      const c = ctx as unknown as Record<string, unknown>;
      seen = { nodeId: c.nodeId, inputs: c.inputs, run: c.run, key: c.idempotencyKey };
      return {};
    });
    await runNodeForTest(spy, {
      nodeId: 'merge',
      inputs: { in1: [{ a: 1 }], in2: [{ json: { b: 2 } }] },
      runId: 'run-1',
      runInput: { x: 1 },
      workflow: { name: 'wf', version: 3 },
    });
    expect(seen).toEqual({
      nodeId: 'merge',
      inputs: { in1: [{ json: { a: 1 } }], in2: [{ json: { b: 2 } }] },
      run: { id: 'run-1', workflow: { name: 'wf', version: 3 }, input: { x: 1 } },
      key: 'run-1:merge',
    });
  });

  it('jsonOf reads other ports and gives [] for a port without items', async () => {
    const result = await runNodeForTest(node(() => ({ true: [{ a: 1 }] }), ['true', 'false']));
    expect(jsonOf(result, 'true')).toEqual([{ a: 1 }]);
    expect(jsonOf(result, 'false')).toEqual([]);
    expect(jsonOf(result, 'nope')).toEqual([]);
  });
});

describe('runNode with the sandbox', () => {
  const code = defineNode({
    type: 'test.code',
    version: 1,
    displayName: 'Code',
    description: 'Runs JavaScript over the items.',
    params: z.object({ code: z.string(), label: z.string().optional() }),
    inputs: ['main'],
    outputs: ['main'],
    defaultTimeout: '1m',
    literalParams: ['code'],
    execute: async (ctx) => {
      const result = await ctx.runCode(ctx.params.code, { mode: 'eachItem', items: ctx.items });
      return { main: (result as unknown[]).map((value) => ({ json: { value, label: ctx.params.label } })) };
    },
  });

  it('gives execute a runCode that runs in the sandbox, with literal code and evaluated params', async () => {
    const result = await runNodeForTest(code, {
      params: { code: 'return $json.n * 2 // ={{ not an expression }}', label: '={{ $input.all().length }} items' },
      items: [{ n: 1 }, { n: 2 }],
    });
    expect(jsonOf(result)).toEqual([
      { value: 2, label: '2 items' },
      { value: 4, label: '2 items' },
    ]);
  });
});
