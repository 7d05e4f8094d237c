import { FlowForgeError } from '../errors.ts';

export interface FailureContext {
  code: 'FF_EXPRESSION' | 'FF_SANDBOX';
  timeoutMs: number;
  memoryLimitMb: number;
  /** "the expression", "code": the subject of the message. */
  what: string;
}

/**
 * Turns what isolated-vm throws when a call is cut short into a FlowForgeError. isolated-vm has no
 * error classes for these, only messages, so they are matched here in one place.
 * Returns undefined for an ordinary error thrown by the sandboxed code itself.
 */
export function sandboxLimitError(error: unknown, context: FailureContext): FlowForgeError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (/execution timed out/i.test(message)) {
    return new FlowForgeError(context.code, `${context.what} ran longer than ${context.timeoutMs} ms`, {
      hint: 'look for an endless loop, or do less work per call',
      cause: error,
    });
  }
  if (/disposed during execution due to memory limit/i.test(message)) {
    return new FlowForgeError(context.code, `${context.what} used more than ${context.memoryLimitMb} MB`, {
      hint: 'work on fewer or smaller items at a time',
      cause: error,
    });
  }
  if (/isolate is disposed/i.test(message)) {
    // Another call broke the memory limit of the shared isolate while this one was queued or running.
    return new FlowForgeError(context.code, `the sandbox was reset while ${context.what} ran; retrying helps`, {
      retryable: true,
      cause: error,
    });
  }
  return undefined;
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
