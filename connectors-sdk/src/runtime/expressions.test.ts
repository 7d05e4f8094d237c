import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import type { FlowForgeError } from '../errors.ts';
import { jsonOf, runNodeForTest } from '../testing/index.ts';
import { disposeSandbox } from './index.ts';
import { echo, evaluate, failure } from './sandbox-test-calls.ts';

describe('expression values', () => {
  it('keeps the type of a lone expression', async () => {
    const [params] = await evaluate(
      { n: '={{ $json.n * 2 }}', o: '={{ { a: [1, 2] } }}', b: '={{ $json.n > 1 }}', z: '={{ null }}' },
      { items: [{ n: 21 }] },
    );
    expect(params).toEqual({ n: 42, o: { a: [1, 2] }, b: true, z: null });
  });

  it('turns a mixed template into a string: null and undefined as empty, objects as JSON', async () => {
    const [params] = await evaluate(
      { s: '=a{{ null }}b{{ $json.missing }}c{{ $json.o }}d{{ 1 + 1 }}e{{ true }}' },
      { items: [{ o: { x: 1 } }] },
    );
    expect(params).toEqual({ s: 'abc{"x":1}d2etrue' });
  });

  it('leaves a lone expression that yields undefined undefined, so optional params stay optional', async () => {
    const [params] = await evaluate({ a: '={{ $json.missing }}', b: 1 }, { items: [{}] });
    expect(params).toEqual({ b: 1 });
  });

  it('evaluates per item', async () => {
    const params = await evaluate({ v: '={{ $json.x + $itemIndex }}' }, { items: [{ x: 10 }, { x: 20 }, { x: 30 }] });
    expect(params).toEqual([{ v: 10 }, { v: 21 }, { v: 32 }]);
  });

  it('evaluates nested params in objects and arrays', async () => {
    const [params] = await evaluate(
      { values: { greeting: '=Hi {{ $json.name }}' }, rules: [{ condition: '={{ $json.ok }}' }, 'plain'] },
      { items: [{ name: 'Ann', ok: false }] },
    );
    expect(params).toEqual({ values: { greeting: 'Hi Ann' }, rules: [{ condition: false }, 'plain'] });
  });

  it('never evaluates literal params, however they look', async () => {
    const raw = { code: '={{ $json.x }}', options: { raw: ['={{ 1 }}'] }, other: '={{ 2 }}' };
    const [params] = await evaluate(raw, { items: [{ x: 1 }] });
    expect(params).toEqual({ code: '={{ $json.x }}', options: { raw: ['={{ 1 }}'] }, other: 2 });
  });

  it('evaluates with $json = {} when the node has no input items', async () => {
    const params = await evaluate({ keys: '={{ Object.keys($json).length }}', i: '={{ $itemIndex }}' });
    expect(params).toEqual([{ keys: 0, i: 0 }]);
  });

  it('does not let one item see what an expression did to another', async () => {
    const params = await evaluate({ seen: '={{ globalThis.count = (globalThis.count ?? 0) + 1 }}' }, { items: [{}] });
    const again = await evaluate({ seen: '={{ globalThis.count = (globalThis.count ?? 0) + 1 }}' }, { items: [{}] });
    expect(params).toEqual([{ seen: 1 }]);
    expect(again).toEqual([{ seen: 1 }]);
  });
});

describe('expression names', () => {
  const items = [{ json: { n: 1 }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } } }, { json: { n: 2 } }];

  it('$json, $binary and $itemIndex describe the current item', async () => {
    const params = await evaluate(
      { n: '={{ $json.n }}', mime: '={{ $binary.file?.mimeType ?? "none" }}', i: '={{ $itemIndex }}' },
      { items },
    );
    expect(params).toEqual([
      { n: 1, mime: 'text/plain', i: 0 },
      { n: 2, mime: 'none', i: 1 },
    ]);
  });

  it('$input gives all(), first(), last() and item of the main input', async () => {
    const params = await evaluate(
      {
        count: '={{ $input.all().length }}',
        first: '={{ $input.first().json.n }}',
        last: '={{ $input.last().json.n }}',
        item: '={{ $input.item.json.n }}',
      },
      { items },
    );
    expect(params).toEqual([
      { count: 2, first: 1, last: 2, item: 1 },
      { count: 2, first: 1, last: 2, item: 2 },
    ]);
  });

  it("$('id') reads an earlier node's main output; .item is the item at the same index", async () => {
    const nodeOutputs = { fetch: { main: [{ json: { id: 'a' } }, { json: { id: 'b' } }, { json: { id: 'c' } }] } };
    const params = await evaluate(
      {
        all: `={{ $('fetch').all().map((i) => i.json.id).join('') }}`,
        first: '={{ $("fetch").first().json.id }}',
        last: `={{ $('fetch').last().json.id }}`,
        item: `={{ $('fetch').item.json.id }}`,
        legacy: '={{ $node["fetch"].json.id }}',
      },
      { items, nodeOutputs },
    );
    expect(params).toEqual([
      { all: 'abc', first: 'a', last: 'c', item: 'a', legacy: 'a' },
      { all: 'abc', first: 'a', last: 'c', item: 'b', legacy: 'a' },
    ]);
  });

  it('$execution.id is the run id and $workflow names the workflow and version; $vars is empty', async () => {
    const [params] = await evaluate(
      { run: '={{ $execution.id }}', wf: '={{ $workflow.name }}@{{ $workflow.version }}', vars: '={{ $vars }}' },
      { runId: 'run-42', workflow: { name: 'orders', version: 7 } },
    );
    expect(params).toEqual({ run: 'run-42', wf: 'orders@7', vars: {} });
  });

  it('$now and $today are luxon DateTimes and come out as ISO strings', async () => {
    const before = Date.now();
    const [params] = await evaluate({
      now: '={{ $now }}',
      isDateTime: '={{ DateTime.isDateTime($now) && DateTime.isDateTime($today) }}',
      today: '={{ $today.hour + $today.minute + $today.second }}',
      text: '=at {{ $now.toMillis() >= 0 }}',
    });
    expect(params?.isDateTime).toBe(true);
    expect(params?.today).toBe(0);
    expect(params?.text).toBe('at true');
    expect(Date.parse(params?.now as string)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('DateTime, Duration and Interval are luxon', async () => {
    const [params] = await evaluate({
      date: '={{ DateTime.fromISO("2024-02-28T10:00:00Z", { zone: "utc" }).plus({ days: 1 }).toISODate() }}',
      minutes: '={{ Duration.fromObject({ hours: 2 }).as("minutes") }}',
      days: '={{ Interval.fromISO("2024-01-01/2024-01-31").length("days") }}',
      mixed: '=on {{ DateTime.fromISO("2024-01-01T00:00:00Z", { zone: "utc" }) }}',
    });
    expect(params).toEqual({ date: '2024-02-29', minutes: 120, days: 30, mixed: 'on 2024-01-01T00:00:00.000Z' });
  });

  it('loads luxon into the context only when an expression names it', async () => {
    const [without] = await evaluate({ v: '={{ typeof luxon }}' });
    const [withIt] = await evaluate({ v: '={{ typeof luxon }}', t: '={{ $today.isValid }}' });
    expect(without).toEqual({ v: 'undefined' });
    expect(withIt).toEqual({ v: 'object', t: true });
  });

  it('sends binary data into the sandbox only when an expression mentions it', async () => {
    const [params] = await evaluate(
      { whole: '={{ Object.keys($input.first()).join() }}', file: '={{ $input.first().binary.file.mimeType }}' },
      { items: [items[0] as never] },
    );
    expect(params).toEqual({ whole: 'json,binary', file: 'text/plain' });
    const [plain] = await evaluate(
      { whole: '={{ Object.keys($input.first()).join() }}' },
      { items: [items[0] as never] },
    );
    expect(plain).toEqual({ whole: 'json' });
  });

  it('nothing of the host is reachable: no process, require, fetch or timers', async () => {
    const [params] = await evaluate({
      names: '={{ [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof Buffer].join(",") }}',
    });
    expect(params).toEqual({ names: 'undefined,undefined,undefined,undefined,undefined' });
  });
});

describe('expression errors', () => {
  it('names the node, the parameter, the expression and the cause', async () => {
    const error = await failure({ values: { greeting: '=Hi {{ $json.nme.x }}' } }, { nodeId: 'greet', items: [{}] });
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `node "greet", parameter values.greeting: {{ $json.nme.x }} failed: TypeError: Cannot read properties of undefined (reading 'x')`,
    );
    expect(error.path).toEqual(['params', 'values', 'greeting']);
    expect(error.details).toEqual({ expression: '{{ $json.nme.x }}', itemIndex: 0 });
  });

  it('names the item that failed when there are several', async () => {
    const error = await failure({ v: '={{ $json.a.b }}' }, { items: [{ a: { b: 1 } }, { a: { b: 2 } }, {}] });
    expect(error.message).toMatch(/^node "node", parameter v: \{\{ \$json\.a\.b \}\} failed \(item 2\): TypeError/);
    expect(error.details).toMatchObject({ itemIndex: 2 });
  });

  it('fails only when the node reads the failing item', async () => {
    const firstOnly = defineNode({ ...echo, execute: (ctx) => ({ main: [{ json: ctx.params as never }] }) });
    const result = await runNodeForTest(firstOnly, { params: { v: '={{ $json.a.b }}' }, items: [{ a: { b: 1 } }, {}] });
    expect(jsonOf(result)).toEqual([{ v: 1 }]);
  });

  it("says which node has not run when $('id') has no output", async () => {
    const error = await failure({ v: `={{ $('approve').first().json }}` }, { nodeOutputs: { other: { main: [] } } });
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.message).toMatch(/failed: Error: node approve has not run or produced no items$/);
  });

  it('stops an endless loop with FF_EXPRESSION, and the next expression still works', async () => {
    const error = await failure({ v: '={{ (() => { while (true) {} })() }}' }, { nodeId: 'spin' });
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.message).toBe('node "spin", parameter v: {{ (() => { while (true) {} })() }} ran longer than 1000 ms');
    expect(error.path).toEqual(['params', 'v']);
    expect(await evaluate({ v: '={{ 1 + 1 }}' })).toEqual([{ v: 2 }]);
  });

  it('reports a syntax error before running anything, with node, path and column', async () => {
    const error = await failure({ rules: [{ condition: '={{ $json.a === }}' }] }, { nodeId: 'route' });
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.path).toEqual(['params', 'rules', 0, 'condition']);
    expect(error.message).toBe(
      'node "route", parameter rules[0].condition: syntax error at column 17 in the expression at column 2: Unexpected token',
    );
  });

  it('names the expression that V8 refuses to compile though it parses (strict mode)', async () => {
    const error = await failure({ ok: '={{ 1 }}', old: '=x{{ 010 }}' });
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.path).toEqual(['params', 'old']);
    expect(error.message).toMatch(/^node "node", parameter old: \{\{ 010 \}\} does not compile: SyntaxError: Octal/);
  });

  it('reports a value that cannot become JSON', async () => {
    const error = await failure({ v: '={{ 10n }}' });
    expect(error.message).toMatch(/^node "node", parameter v: \{\{ 10n \}\} failed: TypeError: .*BigInt/);
  });

  it('validates evaluated params with the node schema: FF_INVALID_PARAMS with the item', async () => {
    const typed = defineNode({
      ...echo,
      params: z.object({ count: z.number() }),
      execute: (ctx) => ({ main: ctx.items.map((_, i) => ({ json: ctx.paramsAt(i) })) }),
    });
    const error = await runNodeForTest(typed, {
      nodeId: 'count',
      params: { count: '={{ $json.n }}' },
      items: [{ n: 1 }, { n: 'two' }],
    }).then(
      () => undefined,
      (e: unknown) => e as FlowForgeError,
    );
    expect(error?.code).toBe('FF_INVALID_PARAMS');
    expect(error?.path).toEqual(['params', 'count']);
    expect(error?.message).toMatch(/^node "count" \(for item 1\), parameter count: .*expected number/);
  });
});

describe('disposeSandbox', () => {
  it('frees the isolates; the next run builds new ones', async () => {
    disposeSandbox();
    expect(await evaluate({ v: '={{ $json.a }}' }, { items: [{ a: 'back' }] })).toEqual([{ v: 'back' }]);
  });
});

describe('expressions under load', () => {
  it('keeps evaluating correctly past the compiled-script cache (256 programs)', async () => {
    for (let n = 0; n < 300; n++) {
      const [params] = await evaluate({ v: `={{ $json.x + ${n} }}` }, { items: [{ x: 1 }] });
      expect(params).toEqual({ v: 1 + n });
    }
  });

  it('keeps concurrent node runs apart', async () => {
    const runs = Array.from({ length: 20 }, (_, run) =>
      evaluate({ v: '={{ $json.run * 100 + $itemIndex }}' }, { items: [{ run }, { run }] }),
    );
    const results = await Promise.all(runs);
    results.forEach((params, run) => {
      expect(params).toEqual([{ v: run * 100 }, { v: run * 100 + 1 }]);
    });
  });
});
