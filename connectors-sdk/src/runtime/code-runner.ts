import type ivm from 'isolated-vm';
import type { RunCodeOptions, RunInfo } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import type { PortItems } from '../items.ts';
import { releaseQuietly, type Sandbox } from './sandbox.ts';
import { sandboxFailureKind, sandboxLimitError } from './sandbox-failure.ts';
import { isCancellation, sandboxPool } from './sandbox-pool.ts';
import { needsLuxon, SCOPE_NAMES, SCOPE_SOURCE, scopeData } from './sandbox-scope.ts';

export const DEFAULT_CODE_TIMEOUT_MS = 10_000;

export interface CodeRunRequest {
  nodeId: string;
  code: string;
  options: RunCodeOptions;
  nodeOutputs: Record<string, PortItems>;
  run: RunInfo;
  /** The node's abort signal: cancelled code leaves the queue (or its lane). */
  signal?: AbortSignal | undefined;
}

/** The names user code sees besides the expression names; `items` is n8n's legacy list. */
const CODE_PARAMS = [...SCOPE_NAMES, 'items', 'item', 'console'];

/**
 * Runs a Code node's JavaScript in a fresh sandbox context. The code is the body of an async
 * function (`return` the result; `await` works, though nothing in the sandbox can make a promise
 * wait on the outside world: no timers, network, require or process). `allItems` runs it once
 * with `items`/`$input`; `eachItem` once per item with `$json`, `item`, `$itemIndex` and collects
 * the results. The result comes back as a JSON copy. The call runs in the sandbox pool, which may
 * stop it and run it again (sandbox-pool.ts): code in the sandbox has no effect outside it.
 */
export async function runCode(request: CodeRunRequest): Promise<unknown> {
  const { nodeId, code, options } = request;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CODE_TIMEOUT_MS;
  const pool = sandboxPool();
  const fail = (message: string, extra: { hint?: string; retryable?: boolean } = {}) =>
    new FlowForgeError('FF_SANDBOX', `node "${nodeId}": ${message}`, { path: ['params', 'code'], ...extra });
  const data = scopeData(code, options.items, request.nodeOutputs, request.run, { alwaysBinary: true });
  const call: CodeCall = { code, input: JSON.stringify({ ...data, mode: options.mode }), timeoutMs, fail };
  let result: RunnerResult;
  try {
    result = await pool.run({
      runId: request.run.id,
      budgetMs: timeoutMs,
      signal: request.signal,
      attempt: (box) => runIn(box, call),
    });
  } catch (error) {
    if (error instanceof FlowForgeError || isCancellation(error, request.signal)) throw error;
    // isolated-vm's own failures (time, memory, a reset isolate) as FF_SANDBOX.
    const limit = sandboxLimitError(error, {
      code: 'FF_SANDBOX',
      timeoutMs,
      memoryLimitMb: pool.memoryLimitMb,
      what: 'code',
    });
    if (!limit) throw fail(`code failed: ${describe(error)}`);
    throw fail(limit.message, { retryable: limit.retryable, ...(limit.hint ? { hint: limit.hint } : {}) });
  }
  return outcome(result, fail);
}

interface CodeCall {
  code: string;
  input: string;
  timeoutMs: number;
  fail: (message: string, extra?: { hint?: string }) => FlowForgeError;
}

/**
 * The script that defines the user's function. Its first line is line 0 (compiled with lineOffset
 * -1), so error lines are lines of the user's code. It must not end on the function itself: a script
 * whose last value is a function keeps its context alive in isolated-vm (~150 KB each), and ~800
 * Code node runs later the isolate broke its memory limit under whichever node ran then.
 */
export function userScript(code: string): string {
  return `globalThis.__ffUser = async function (${CODE_PARAMS.join(', ')}) {\n${code}\n};\nvoid 0;`;
}

/** One attempt in one sandbox; isolated-vm's errors stay as they are, for the pool to read. */
async function runIn(box: Sandbox, call: CodeCall): Promise<RunnerResult> {
  let user: ivm.Script;
  let runner: ivm.Script;
  let context: ivm.Context;
  try {
    user = await box.compile(userScript(call.code), { filename: 'code.js', lineOffset: -1 });
    runner = await box.compile(RUNNER_SOURCE, { filename: 'code-runner.js' });
    context = await box.createContext({ luxon: needsLuxon(call.code) });
  } catch (error) {
    if (sandboxFailureKind(error)) throw error;
    throw call.fail(`the code does not compile: ${describe(error)}`, { hint: 'fix the syntax error at that line' });
  }
  try {
    await context.global.set('__ffInput', call.input);
    // One deadline per step; the second covers the code and the promise jobs it queues.
    await user.run(context, { timeout: call.timeoutMs });
    await runner.run(context, { timeout: call.timeoutMs });
    return (await context.global.get('__ffResult', { copy: true })) as RunnerResult;
  } finally {
    releaseQuietly(context);
  }
}

function outcome(result: RunnerResult, fail: (message: string, extra?: { hint?: string }) => FlowForgeError): unknown {
  switch (result.state) {
    case 'done':
      return result.json === undefined ? undefined : JSON.parse(result.json);
    case 'failed':
      throw fail(`code failed${result.line ? ` at line ${result.line}` : ''}: ${result.error}`, {
        hint: 'the Code node runs plain JavaScript: no require, process, fetch, timers or file system',
      });
    case 'pending':
      throw fail('code returned a promise that never settled (the sandbox has no timers or network to wait for)');
    default:
      return result satisfies never;
  }
}

type RunnerResult =
  | { state: 'done'; json?: string }
  | { state: 'failed'; error: string; line?: number }
  | { state: 'pending' };

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = /\[code\.js:(\d+):(\d+)\]/.exec(error.message);
  const message = error.message.replace(/\s*\[code\.js:\d+:\d+\]/, '');
  return `${error.name}: ${message}${at ? ` (line ${at[1]})` : ''}`;
}

/** Runs inside the sandbox: calls the user's function per mode and records how it ended. */
const RUNNER_SOURCE = `${SCOPE_SOURCE}
(function () {
  const data = JSON.parse(globalThis.__ffInput);
  const user = globalThis.__ffUser;
  const console = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const call = (index, item) => {
    const scope = __ffScope(data, index);
    if (!item) {
      // allItems: there is no current item.
      scope.$json = scope.$binary = scope.$itemIndex = scope.$input.item = undefined;
    }
    const names = [${SCOPE_NAMES.map((name) => `scope.${name}`).join(', ')}];
    return user.apply(undefined, [...names, data.items, item, console]);
  };
  const lineOf = (error) => {
    const match = error && typeof error.stack === 'string' ? /code\\.js:(\\d+):\\d+/.exec(error.stack) : null;
    return match ? Number(match[1]) : undefined;
  };
  globalThis.__ffResult = { state: 'pending' };
  const run = data.mode === 'eachItem'
    ? (async () => {
        const results = [];
        for (let index = 0; index < data.items.length; index++) results.push(await call(index, data.items[index]));
        return results;
      })()
    : call(0, undefined);
  run.then(
    (value) => {
      try {
        globalThis.__ffResult = { state: 'done', json: JSON.stringify(value) };
      } catch (error) {
        globalThis.__ffResult = { state: 'failed', error: 'the result cannot be turned into JSON: ' + __ffDescribe(error) };
      }
    },
    (error) => {
      globalThis.__ffResult = { state: 'failed', error: __ffDescribe(error), line: lineOf(error) };
    },
  );
})();
`;
