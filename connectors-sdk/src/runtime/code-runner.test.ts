import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { Item } from '../items.ts';
import { type CodeRunRequest, runCode, userScript } from './code-runner.ts';
import { releaseQuietly, Sandbox } from './sandbox.ts';

const run: RunInfo = { id: 'run-7', workflow: { name: 'wf', version: 2 }, input: {} };
const items: Item[] = [{ json: { n: 1 } }, { json: { n: 2 } }, { json: { n: 3 } }];

function request(
  code: string,
  overrides: Partial<CodeRunRequest['options']> = {},
  extra: Partial<CodeRunRequest> = {},
) {
  return {
    nodeId: 'code',
    code,
    options: { mode: 'allItems', items, ...overrides },
    nodeOutputs: {},
    run,
    ...extra,
  } as const;
}

async function failure(code: string, overrides: Partial<CodeRunRequest['options']> = {}): Promise<FlowForgeError> {
  const error = await runCode(request(code, overrides)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlowForgeError);
  expect((error as FlowForgeError).code).toBe('FF_SANDBOX');
  expect((error as FlowForgeError).retryable).toBe(false);
  return error as FlowForgeError;
}

describe('runCode allItems', () => {
  it('runs the code once as a function body with items and $input, and returns a JSON copy', async () => {
    const result = await runCode(
      request(`
        const total = items.reduce((sum, item) => sum + item.json.n, 0);
        return { total, count: $input.all().length, first: $input.first().json.n, last: $input.last().json.n };
      `),
    );
    expect(result).toEqual({ total: 6, count: 3, first: 1, last: 3 });
  });

  it('has no current item in allItems mode', async () => {
    expect(await runCode(request('return [typeof $json, typeof $itemIndex, typeof $input.item]'))).toEqual([
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('supports await and async helpers', async () => {
    expect(await runCode(request('const double = async (x) => x * 2; return await double(21);'))).toBe(42);
  });

  it('returns undefined when the code returns nothing', async () => {
    expect(await runCode(request('items.length;'))).toBeUndefined();
  });

  it('gives $execution, $workflow, $() and luxon DateTime', async () => {
    const result = await runCode(
      request(
        `return [$execution.id, $workflow.version, $('up').first().json.v, DateTime.fromISO('2024-05-01').month];`,
        {},
        { nodeOutputs: { up: { main: [{ json: { v: 'x' } }] } } },
      ),
    );
    expect(result).toEqual(['run-7', 2, 'x', 5]);
  });

  it('console.log is available and writes nothing to the host', async () => {
    const written: string[] = [];
    const original = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      expect(await runCode(request('console.log("hello-from-code"); console.error("oops-from-code"); return 1'))).toBe(
        1,
      );
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    }
    expect(written.join('')).not.toMatch(/from-code/);
  });
});

describe('runCode items', () => {
  it('gets binary attachments, so code can pass items through unchanged', async () => {
    const withFile: Item[] = [{ json: { n: 1 }, binary: { file: { data: 'aGk=', mimeType: 'text/plain' } } }];
    expect(await runCode(request('return items', { items: withFile }))).toEqual(withFile);
  });
});

describe('runCode eachItem', () => {
  it('runs once per item with $json, item and $itemIndex and returns the results in order', async () => {
    const result = await runCode(
      request('return { n: $json.n * 10, same: item.json === $json, index: $itemIndex, current: $input.item.json.n }', {
        mode: 'eachItem',
      }),
    );
    expect(result).toEqual([
      { n: 10, same: true, index: 0, current: 1 },
      { n: 20, same: true, index: 1, current: 2 },
      { n: 30, same: true, index: 2, current: 3 },
    ]);
  });
});

describe('runCode errors', () => {
  it('reports a thrown error with the line in the user code', async () => {
    const error = await failure('const a = 1;\nconst b = null;\nreturn b.missing;');
    expect(error.message).toBe(
      `node "code": code failed at line 3: TypeError: Cannot read properties of null (reading 'missing')`,
    );
    expect(error.path).toEqual(['params', 'code']);
  });

  it('reports a syntax error with its line', async () => {
    const error = await failure('const a = 1;\nconst = 2;');
    expect(error.message).toBe(`node "code": the code does not compile: SyntaxError: Unexpected token '=' (line 2)`);
  });

  it('reports a result that cannot be turned into JSON', async () => {
    const error = await failure('const a = {}; a.self = a; return a;');
    expect(error.message).toMatch(/^node "code": code failed: the result cannot be turned into JSON: TypeError/);
  });

  it('reports a promise that can never settle instead of hanging', async () => {
    const error = await failure('await new Promise(() => {});');
    expect(error.message).toMatch(/never settled/);
  });
});

describe('runCode sandbox', () => {
  const escapes = {
    'the Function constructor': `return this.constructor.constructor('return process')().env`,
    require: `return require('fs').readFileSync('/etc/passwd', 'utf8')`,
    'globalThis.process': 'return globalThis.process.env',
    'dynamic import': `return (await import('node:fs')).readFileSync('/etc/passwd', 'utf8')`,
    fetch: `return await fetch('http://127.0.0.1:1')`,
    timers: 'setTimeout(() => {}, 1)',
    'an escaped wrapper': '}; globalThis.x = 1; (function () {',
  };

  for (const [name, code] of Object.entries(escapes)) {
    it(`blocks ${name} with FF_SANDBOX, and the next call still works`, async () => {
      await failure(code);
      expect(await runCode(request('return 1 + 1'))).toBe(2);
    });
  }

  it('stops code past its time limit with FF_SANDBOX, and the next call still works', async () => {
    const error = await failure('while (true) {}', { timeoutMs: 300 });
    expect(error.message).toBe('node "code": code ran longer than 300 ms');
    expect(await runCode(request('return "alive"'))).toBe('alive');
  });

  it('stops promise jobs that never end, too', async () => {
    const error = await failure('while (true) { await null; }', { timeoutMs: 300 });
    expect(error.message).toBe('node "code": code ran longer than 300 ms');
  });

  it('stops code past the memory limit with FF_SANDBOX, and a fresh isolate serves the next call', async () => {
    const error = await failure('const hog = []; while (true) hog.push(new Array(100000).fill(1));', {
      timeoutMs: 30_000,
    });
    expect(error.message).toBe('node "code": code used more than 128 MB');
    expect(await runCode(request('return items.length'))).toBe(3);
  });

  it('gives every call a fresh global scope', async () => {
    await runCode(request('globalThis.leak = "secret"; return 1'));
    expect(await runCode(request('return typeof globalThis.leak'))).toBe('undefined');
  });

  it('leaves nothing of a call behind in its isolate: 1,500 calls fit in one', { timeout: 120_000 }, async () => {
    const sandbox = new Sandbox({ memoryLimitMb: 128 });
    try {
      const script = await sandbox.compile(userScript('return 1'), { filename: 'code.js', lineOffset: -1 });
      for (let call = 0; call < 1_500; call++) {
        const context = await sandbox.createContext({ luxon: false });
        await script.run(context, { timeout: 1_000 });
        releaseQuietly(context);
      }
      expect(sandbox.isDisposed).toBe(false);
    } finally {
      sandbox.dispose();
    }
  });
});
