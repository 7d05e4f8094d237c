import { FlowForgeError } from '../errors.ts';

export interface FailureContext {
  code: 'FF_EXPRESSION' | 'FF_SANDBOX';
  timeoutMs: number;
  memoryLimitMb: number;
  /** "the expression", "code": the subject of the message. */
  what: string;
}

/**
 * How a sandbox call was cut short. isolated-vm has no error classes for these, only messages, so
 * they are matched here in one place:
 * - `timeout`: the call ran past its time limit ("Script execution timed out.");
 * - `memory`: the call's isolate broke its memory limit and V8 disposed it;
 * - `reset`: the isolate was disposed for another reason (the pool stopped the call, the worker is
 *   shutting down): nothing the call itself did.
 */
export type SandboxFailureKind = 'timeout' | 'memory' | 'reset';

/** The pool could not get an isolate back from V8 (isolated-vm's onCatastrophicError) and gave it up. */
export class SandboxLostError extends Error {
  override readonly name = 'SandboxLostError';
  readonly kind: Exclude<SandboxFailureKind, 'reset'>;

  constructor(reason: string) {
    super(`the sandbox lost control of its isolate: ${reason}`);
    // V8 reports two catastrophes: running out of memory, and a script that did not stop at its time limit.
    this.kind = /memory/i.test(reason) ? 'memory' : 'timeout';
  }
}

/** The kind of `error`, or of the error it was caused by (an evaluation may wrap isolated-vm's error). */
export function sandboxFailureKind(error: unknown): SandboxFailureKind | undefined {
  for (let current = error, depth = 0; current !== undefined && depth < 3; depth++) {
    if (current instanceof SandboxLostError) return current.kind;
    const message = current instanceof Error ? current.message : String(current);
    if (/execution timed out/i.test(message)) return 'timeout';
    if (/disposed during execution due to memory limit/i.test(message)) return 'memory';
    if (/isolate (is|was) disposed/i.test(message)) return 'reset';
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/**
 * Turns what isolated-vm throws when a call is cut short into a FlowForgeError.
 * Returns undefined for an ordinary error thrown by the sandboxed code itself.
 */
export function sandboxLimitError(error: unknown, context: FailureContext): FlowForgeError | undefined {
  const kind = sandboxFailureKind(error);
  switch (kind) {
    case 'timeout':
      return new FlowForgeError(context.code, `${context.what} ran longer than ${context.timeoutMs} ms`, {
        hint: 'look for an endless loop, or do less work per call',
        cause: error,
      });
    case 'memory':
      return new FlowForgeError(context.code, `${context.what} used more than ${context.memoryLimitMb} MB`, {
        hint: 'work on fewer or smaller items at a time',
        cause: error,
      });
    case 'reset':
      // The pool re-runs a call whose isolate was reset under it; this is what is left when that kept happening.
      return new FlowForgeError(context.code, `the sandbox was reset while ${context.what} ran; retrying helps`, {
        retryable: true,
        cause: error,
      });
    case undefined:
      return undefined;
    default:
      return kind satisfies never;
  }
}

/** Like sandboxLimitError, but any other error becomes a generic failure of the subject. */
export function classifySandboxFailure(error: unknown, context: FailureContext): FlowForgeError {
  return (
    sandboxLimitError(error, context) ??
    new FlowForgeError(
      context.code,
      `${context.what} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      { cause: error },
    )
  );
}
