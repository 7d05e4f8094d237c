import { expect } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { Item } from '../items.ts';
import { jsonOf, runNodeForTest, type TestNodeOptions } from '../testing/index.ts';
import { runCode } from './code-runner.ts';

/** For the runtime's tests: expressions and code through the real runNode / runCode and sandbox. */

/** Outputs, per input item (or once with no items), the params the runtime evaluated for it. */
export const echo = defineNode({
  type: 'test.echo',
  version: 1,
  displayName: 'Echo params',
  description: 'Outputs the evaluated params per item.',
  params: z.record(z.string(), z.unknown()),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  literalParams: ['code', 'options.raw'],
  execute: (ctx) => ({
    main: (ctx.items.length > 0 ? ctx.items : [{ json: {} }]).map((_, index) => ({ json: ctx.paramsAt(index) })),
  }),
});

export async function evaluate(params: Record<string, unknown>, options: TestNodeOptions = {}) {
  return jsonOf(await runNodeForTest(echo, { params, ...options }));
}

/** What a promise rejected with, checked to be a FlowForgeError. */
export async function rejection(promise: Promise<unknown>): Promise<FlowForgeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowForgeError);
  return error as FlowForgeError;
}

export function failure(params: Record<string, unknown>, options: TestNodeOptions = {}): Promise<FlowForgeError> {
  return rejection(evaluate(params, options));
}

/** The value of one expression (`={{ ... }}`), evaluated for `runId`. */
export async function expressionValue(expression: string, runId = 'test-run'): Promise<unknown> {
  const [params] = await evaluate({ v: `={{ ${expression} }}` }, { runId });
  return params?.v;
}

export interface CodeCallOptions {
  runId?: string;
  timeoutMs?: number;
  items?: Item[];
}

/** A Code node's JavaScript (a function body) run with runCode for `runId`, in allItems mode. */
export function codeValue(code: string, options: CodeCallOptions = {}): Promise<unknown> {
  return runCode({
    nodeId: 'code',
    code,
    options: {
      mode: 'allItems',
      items: options.items ?? [],
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
    nodeOutputs: {},
    run: { id: options.runId ?? 'test-run', workflow: { name: 'wf', version: 1 }, input: {} },
  });
}
