import { describe, expect, it } from 'vitest';
import { FlowForgeError } from '../errors.ts';
import { codeValue, expressionValue, rejection } from './sandbox-test-calls.ts';

/**
 * What an attacker tries from a Code node or an expression (issue 12 and the escapes before it).
 * Each probe is a function body; it runs as a Code node's code and, unless it needs `await`, as an
 * expression (`(() => { ... })()`). It is either refused (the call fails with the node's own
 * FF_SANDBOX / FF_EXPRESSION error) or returns what shows the hole is closed. Every probe is
 * followed by an ordinary call that must still work.
 */
interface Probe {
  name: string;
  body: string;
  /** The value the probe must return; absent: the call must fail. */
  returns?: unknown;
  /** What the failure message says (a limit the sandbox enforced), when it must fail. */
  fails?: RegExp;
  codeOnly?: boolean;
  /** The Code node's time limit; default the Code node's own (10 s), so that other limits are reached first. */
  timeoutMs?: number;
}

/** What the sandbox says when an allocation would break its memory limit (refused, or the isolate disposed). */
const OVER_LIMIT = /Array buffer allocation failed|used more than 128 MB/;
const NO_WASM = /WebAssembly is not defined/;
const NO_RESIZABLE = /maxByteLength is not available in the FlowForge sandbox/;

/**
 * 2,500 DateTimeFormats hold ~70 MB of ICU memory (~80 MB charged): with 64 MB more the limit is
 * passed only if they are counted. Few enough to be made well within an expression's second.
 * `all` is read after the 64 MB, so V8 cannot collect it before.
 */
const countedDateTimeFormats =
  'const all = []; for (let i = 0; i < 2500; i++) all[all.length] = new Intl.DateTimeFormat("en"); const more = new ArrayBuffer(64 * 2 ** 20); return all.length + more.byteLength;';

/** The Code node's time limit for the probes that never end. */
const ENDLESS_MS = 500;

const PROBES: Probe[] = [
  // Constructor chains and host objects.
  {
    name: 'this.constructor.constructor to process',
    body: `return this.constructor.constructor('return process')().env`,
  },
  {
    name: "the Function constructor's global has no Node names",
    body: `return Object.getOwnPropertyNames(({}).constructor.constructor('return this')()).filter((name) => /^(process|require|module|exports|Buffer|fetch|setTimeout|setInterval|setImmediate|queueMicrotask|structuredClone|WebAssembly|ShadowRealm)$/.test(name))`,
    returns: [],
  },
  {
    name: 'the async function constructor',
    body: `return await (async function () {}).constructor('return typeof process + typeof require')()`,
    returns: 'undefinedundefined',
    codeOnly: true,
  },
  {
    name: 'stack frames show only sandboxed code',
    body: `Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getFileName()); return new Error().stack.filter((file) => file && !/^(code|code-runner|expression)\\.js$/.test(file))`,
    returns: [],
  },
  {
    name: 'eval sees no process',
    body: `return eval('typeof process + typeof require')`,
    returns: 'undefinedundefined',
  },
  {
    name: 'dynamic import()',
    body: `return (await import('node:fs')).readFileSync('/etc/passwd', 'utf8')`,
    codeOnly: true,
  },
  // WebAssembly: its memory escaped the limit (issue 12, item 1).
  {
    name: 'WebAssembly is gone from every path to the global',
    body: `return [typeof WebAssembly, typeof globalThis.WebAssembly, typeof Reflect.get(globalThis, 'WebAssembly'), Object.getOwnPropertyNames(globalThis).includes('WebAssembly'), Function('return typeof WebAssembly')(), (0, eval)('typeof this.WebAssembly'), typeof ShadowRealm]`,
    returns: ['undefined', 'undefined', 'undefined', false, 'undefined', 'undefined', 'undefined'],
  },
  {
    name: '1 GiB of WebAssembly memory',
    body: 'const m = new WebAssembly.Memory({ initial: 16384, maximum: 16384 }); new Uint8Array(m.buffer).fill(1); return m.buffer.byteLength',
    fails: NO_WASM,
  },
  // Resizable and growable buffers: V8 reserves their memory itself, like WebAssembly's.
  {
    name: '1 GiB in a resizable ArrayBuffer',
    body: 'const b = new ArrayBuffer(0, { maxByteLength: 2 ** 30 }); b.resize(2 ** 30); new Uint8Array(b).fill(1); return b.byteLength',
    fails: NO_RESIZABLE,
  },
  {
    name: 'resizable via a buffer’s constructor',
    body: 'return new (new Uint8Array(1).buffer.constructor)(0, { maxByteLength: 2 ** 30 }).resizable',
    fails: NO_RESIZABLE,
  },
  {
    name: 'resizable via Reflect.construct and the prototype chain',
    body: 'return Reflect.construct(Object.getPrototypeOf(new DataView(new ArrayBuffer(1)).buffer).constructor, [0, { maxByteLength: 2 ** 30 }]).resizable',
    fails: NO_RESIZABLE,
  },
  {
    name: 'resizable via a subclass',
    body: 'class Big extends ArrayBuffer {} return new Big(0, { maxByteLength: 2 ** 30 }).resizable',
    fails: NO_RESIZABLE,
  },
  {
    name: 'a growable SharedArrayBuffer',
    body: 'return new SharedArrayBuffer(0, { maxByteLength: 2 ** 30 }).growable',
    fails: NO_RESIZABLE,
  },
  {
    name: 'a maxByteLength getter that answers differently the second time',
    body: 'let reads = 0; const options = { get maxByteLength() { return reads++ === 0 ? undefined : 2 ** 30; } }; return new ArrayBuffer(8, options).resizable',
    returns: false,
  },
  {
    name: 'ordinary buffers still work',
    body: 'class Mine extends ArrayBuffer {} const b = new Mine(16); return [b instanceof ArrayBuffer, new Uint8Array(b).length, ArrayBuffer.isView(new DataView(b)), new ArrayBuffer(8).slice(4).byteLength, new SharedArrayBuffer(4).byteLength]',
    returns: [true, 16, true, 4, 4],
  },
  // ICU memory behind Intl objects: ~27 KB each for a DateTimeFormat, outside the V8 heap.
  { name: 'Intl.DateTimeFormat objects count against the limit', body: countedDateTimeFormats, fails: OVER_LIMIT },
  {
    name: 'Intl after Object.prototype got a "get"',
    body: `Object.defineProperty(Object.prototype, 'get', { value: () => 1, configurable: true }); try { Intl.DateTimeFormat; } catch {} delete Object.prototype.get; ${countedDateTimeFormats}`,
    fails: OVER_LIMIT,
  },
  {
    name: 'Intl after iterators, Reflect, WeakMap and call were replaced',
    body: `Array.prototype[Symbol.iterator] = function* () {}; Reflect.apply = () => 0; Reflect.construct = () => ({}); WeakMap.prototype.set = function () { return this; }; Function.prototype.call = () => 0; ${countedDateTimeFormats}`,
    fails: OVER_LIMIT,
  },
  {
    name: 'segment() results count against the limit',
    body: 'const s = new Intl.Segmenter(); const all = []; for (let i = 0; i < 20000; i++) all.push(s.segment("x")); const more = new ArrayBuffer(64 * 2 ** 20); return all.length + more.byteLength',
    fails: OVER_LIMIT,
  },
  {
    name: 'ordinary Intl still works',
    body: `return [new Intl.NumberFormat('de-DE').format(1234.5), Intl.DateTimeFormat('en', { timeZone: 'UTC' }).format(0), [...new Intl.Segmenter('en', { granularity: 'word' }).segment('a b')].length, Intl.DateTimeFormat.name, typeof Intl.Collator.supportedLocalesOf]`,
    returns: ['1.234,5', '1/1/1970', 3, 'DateTimeFormat', 'function'],
  },
  // Big allocations.
  { name: '2^25 doubles (256 MB)', body: 'return new Array(2 ** 25).fill(1.5).length', fails: /used more than 128 MB/ },
  { name: 'a 1 GiB ArrayBuffer', body: 'return new ArrayBuffer(2 ** 30).byteLength' },
  { name: 'a 512 M-character string', body: `return 'x'.repeat(2 ** 29).length` },
  {
    name: '2e8 small objects',
    body: 'const all = []; for (let i = 0; i < 2e8; i++) all.push({ i }); return all.length',
    fails: /used more than 128 MB/,
    codeOnly: true,
    timeoutMs: 60_000,
  },
  // Endless work.
  { name: 'while (true) {}', body: 'while (true) {}', fails: /ran longer than/, timeoutMs: ENDLESS_MS },
  {
    name: 'promise jobs that never end',
    body: 'while (true) { await null; }',
    fails: /ran longer than/,
    codeOnly: true,
    timeoutMs: ENDLESS_MS,
  },
  {
    name: 'Atomics.wait forever',
    body: 'return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)',
    fails: /ran longer than/,
    timeoutMs: ENDLESS_MS,
  },
  {
    name: 'catastrophic backtracking',
    body: `return /^(a+)+$/.test('a'.repeat(40) + 'b')`,
    fails: /ran longer than/,
    timeoutMs: ENDLESS_MS,
  },
];

async function expectRefused(call: Promise<unknown>, code: 'FF_SANDBOX' | 'FF_EXPRESSION', fails?: RegExp) {
  const error = await rejection(call);
  expect(error.code).toBe(code);
  expect(error.retryable).toBe(false);
  if (fails) expect(error.message).toMatch(fails);
}

describe('sandbox probes, as a Code node', () => {
  for (const probe of PROBES) {
    it(`${probe.name}: ${'returns' in probe ? 'harmless' : 'refused'}`, { timeout: 120_000 }, async () => {
      const call = codeValue(probe.body, probe.timeoutMs ? { timeoutMs: probe.timeoutMs } : {});
      if ('returns' in probe) expect(await call).toEqual(probe.returns);
      else await expectRefused(call, 'FF_SANDBOX', probe.fails);
      expect(await codeValue('return 1 + 1')).toBe(2);
    });
  }
});

describe('sandbox probes, as an expression', () => {
  for (const probe of PROBES.filter((candidate) => !candidate.codeOnly)) {
    it(`${probe.name}: ${'returns' in probe ? 'harmless' : 'refused'}`, { timeout: 120_000 }, async () => {
      const call = expressionValue(`(() => { ${probe.body} })()`);
      if ('returns' in probe) expect(await call).toEqual(probe.returns);
      else await expectRefused(call, 'FF_EXPRESSION', probe.fails);
      expect(await expressionValue('1 + 1')).toBe(2);
    });
  }

  it('a refused probe is the expression’s own error, naming the parameter', async () => {
    const error = await rejection(expressionValue('new WebAssembly.Memory({ initial: 1 })'));
    expect(error).toBeInstanceOf(FlowForgeError);
    expect(error.message).toMatch(/parameter v: .* failed: ReferenceError: WebAssembly is not defined/);
  });
});
